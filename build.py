"""Build the site from content/ into public/: the same as `gkml build` (see `gkml build --help`)."""

import sys

from gkml_ssg.cli.main import main

if __name__ == "__main__":
    main(["build", *sys.argv[1:]])
