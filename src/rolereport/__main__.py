from rolereport.cli import run

if __name__ == "__main__":  # not again in a spawned worker process (Dask local clusters)
    run()
