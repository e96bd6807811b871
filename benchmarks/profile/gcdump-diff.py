#!/usr/bin/env python3
"""Bytes per added user between two heap snapshots, per type: the output of gcdump-types for the dump taken before
activating N users and for the one taken after.

    python3 benchmarks/profile/gcdump-diff.py BEFORE.types AFTER.types N [TOP]

Size classes ("(Bytes > 10K)") are merged into their type. The first line is the heap total's change per user.
"""
import re
import sys


def load(path):
    total, types = 0, {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            size, count, name = line.rstrip("\n").split("\t", 2)
            if name == "TOTAL":
                total = int(size)
                continue
            name = re.sub(r"\s+\(Bytes > [^)]*\)$", "", name)
            old_size, old_count = types.get(name, (0, 0))
            types[name] = (old_size + int(size), old_count + int(count))
    return total, types


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    (before_total, before), (after_total, after) = load(sys.argv[1]), load(sys.argv[2])
    users, top = int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) == 5 else 40
    print(f"heap {before_total:,} -> {after_total:,} bytes: {(after_total - before_total) / users:,.1f} bytes per user")
    rows = sorted(((after.get(n, (0, 0))[0] - before.get(n, (0, 0))[0], after.get(n, (0, 0))[1] - before.get(n, (0, 0))[1], n)
                   for n in before.keys() | after.keys()), reverse=True)
    for size, count, name in rows[:top]:
        print(f"{size / users:9.1f} B/user {count / users:6.2f} objects/user  {name}")


if __name__ == "__main__":
    main()
