"""`python -m` entry point: run the job once and exit with its exit code (see `cli`)."""

from nightly_report.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
