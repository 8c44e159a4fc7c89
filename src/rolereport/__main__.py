from rolereport.cli import run

run()
