#!/bin/sh
# Writes each argument on its own line, in brackets, to args.txt in the working directory.
for arg in "$@"; do printf '[%s]\n' "$arg"; done > args.txt
