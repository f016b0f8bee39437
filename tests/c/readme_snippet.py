"""Prints the README's C program (its first ```c block), so `make c-test` compiles and runs it
as written: the README's example cannot drift from the library."""

import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
block = re.search(r"```c\n(.*?)```", text, re.S)
if block is None:
    sys.exit("README has no ```c block")
sys.stdout.write(block.group(1))
