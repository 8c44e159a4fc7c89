"""Files on disk: the single report and the batch, output folders, atomic writes, stamps, manifest, lock, executors."""
