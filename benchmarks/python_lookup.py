"""benchmarks/python_lookup.py: the Python side of kartotek_bench's overhead
workload (benchmarks/README.md); kartotek_bench runs it in a child process.

Usage: python_lookup.py REGISTER NUMBERS PASSES ACTOR

Opens the register kept in directory REGISTER and looks up, on behalf of user
ACTOR, each customer number of the file NUMBERS (UTF-8, one a line) through
Register.find_customer_by_number: once as a warm-up, which records the
answers, then PASSES timed passes. Prints one JSON object: {"python":
version, "ids": [the id found, 0 for none, per number], "cpu_ns": [CPU time
of this thread per pass], "wall_ns": [wall time per pass]}; or {"error":
why} when the kartotek module cannot be imported.

A pass is the loop a Python host would write: its cost per call is the
binding's call, the lookup, the customer converted to a Python object and
freed again, and the loop itself.
"""

import json
import platform
import sys
import time


def main(argv: list[str]) -> int:
    register, numbers_file, passes, actor = argv[1], argv[2], int(argv[3]), int(argv[4])
    try:
        import kartotek
    except ImportError as e:
        print(json.dumps({"error": f"cannot import kartotek ({e})"}))
        return 0
    with open(numbers_file, encoding="utf-8") as f:
        numbers = f.read().split("\n")
    with kartotek.Register.open(register, create=False) as reg:
        ids = []
        for number in numbers:
            customer = reg.find_customer_by_number(actor, number)
            ids.append(customer.id if customer is not None else 0)
        cpu, wall = [], []
        for _ in range(passes):
            # thread_time_ns reads CLOCK_THREAD_CPUTIME_ID, the clock of the
            # C++ and C API figures.
            wall_start, cpu_start = time.perf_counter_ns(), time.thread_time_ns()
            for number in numbers:
                reg.find_customer_by_number(actor, number)
            cpu.append(time.thread_time_ns() - cpu_start)
            wall.append(time.perf_counter_ns() - wall_start)
    print(json.dumps({"python": platform.python_version(), "ids": ids, "cpu_ns": cpu, "wall_ns": wall}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
