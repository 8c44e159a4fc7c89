"""The PDF career guide: the guide's HTML laid out by WeasyPrint (`document.py`), in a sidecar
process for one report (`sidecar.py`). Importing this package loads nothing heavy, so the CLI can
start the sidecar before anything else."""
