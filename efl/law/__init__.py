"""The law's calendar: statutory duties, their periods and deadlines, and date arithmetic."""
