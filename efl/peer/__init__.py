"""Peer comparison: two results, trends and councils side by side, the feedback report, and evidence packs."""
