"""The pipeline and the plugin host: framework and assessment models, loading a framework and a folder, rules, the engine, batches and saved results."""
