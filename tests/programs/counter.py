# A python3 counter: prints 0, 1, 2, … every 100 ms up to an optional limit; the
# interpreter's whole heap must come back for the count to continue.
import sys
import time

limit = int(sys.argv[1]) if len(sys.argv) > 1 else -1
history = []
i = 0
while limit < 0 or i < limit:
    history.append(i * i)
    assert sum(history) == sum(k * k for k in range(i + 1))
    print(i, flush=True)
    i += 1
    time.sleep(0.1)
print("done", flush=True)
