"""The `gkml` command: parses options, runs one of the commands, and turns every refusal into a
Chinese message and a non-zero exit (never a traceback).

Input: the command line. Output: what the commands print.

Must not know: anything a command does beyond calling it.
"""
