#!/usr/bin/env python3
"""Campaign benchmarks' helpers (BENCHMARKS.md, "Email campaigns: sending"):

  bench_campaigns.py sink PORT [--quickack]
      An SMTP sink on 127.0.0.1:PORT that accepts every message and counts
      them (prints the count every second it changed). With --quickack it
      acknowledges each read at once (TCP_QUICKACK), so a client that leaves
      Nagle on does not wait for Linux's 40 ms delayed ACK; without it, it
      behaves as a kernel-default relay does.

  bench_campaigns.py load HOST:PORT PATH THREADS REQUESTS
      GETs PATH REQUESTS times from THREADS threads (keep-alive, one
      connection each; a second process to the server); prints one JSON
      line: requests/s and latency p50/p90/p99/max in ms.
"""
import http.client
import json
import socket
import sys
import threading
import time


def sink(port, quickack):
    count = [0]
    lock = threading.Lock()

    def handle(c):
        f = c.makefile("rb")
        c.sendall(b"220 sink ESMTP\r\n")
        data = False
        while True:
            if quickack:
                c.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            line = f.readline()
            if not line:
                break
            if data:
                if line == b".\r\n":
                    data = False
                    with lock:
                        count[0] += 1
                    c.sendall(b"250 2.0.0 queued\r\n")
                continue
            u = line.upper()
            if u.startswith(b"EHLO") or u.startswith(b"HELO"):
                c.sendall(b"250-sink\r\n250 8BITMIME\r\n")
            elif u.startswith(b"DATA"):
                data = True
                c.sendall(b"354 go ahead\r\n")
            elif u.startswith(b"QUIT"):
                c.sendall(b"221 bye\r\n")
                break
            else:
                c.sendall(b"250 OK\r\n")
        c.close()

    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(64)

    def report():
        last = -1
        while True:
            time.sleep(1)
            if count[0] != last:
                last = count[0]
                print(f"{time.time():.3f} {last}", flush=True)

    threading.Thread(target=report, daemon=True).start()
    while True:
        c, _ = s.accept()
        threading.Thread(target=handle, args=(c,), daemon=True).start()


def load(hostport, path, threads, requests):
    host, port = hostport.rsplit(":", 1)
    per = requests // threads
    latencies = []
    lock = threading.Lock()
    errors = [0]

    def worker():
        conn = http.client.HTTPConnection(host, int(port))
        mine = []
        for _ in range(per):
            t = time.perf_counter()
            conn.request("GET", path, headers={"Host": "localhost", "User-Agent": "bench/1.0 (X11)"})
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                errors[0] += 1
            mine.append((time.perf_counter() - t) * 1000)
        with lock:
            latencies.extend(mine)

    start = time.perf_counter()
    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    took = time.perf_counter() - start
    latencies.sort()
    q = lambda p: round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 2)
    print(json.dumps({
        "threads": threads, "requests": len(latencies), "errors": errors[0],
        "per_second": round(len(latencies) / took, 1),
        "p50_ms": q(0.5), "p90_ms": q(0.9), "p99_ms": q(0.99), "max_ms": round(latencies[-1], 2),
    }))


if __name__ == "__main__":
    if sys.argv[1] == "sink":
        sink(int(sys.argv[2]), "--quickack" in sys.argv[3:])
    elif sys.argv[1] == "load":
        load(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        sys.exit(__doc__)
