# Save -> new version in `medfm serve`, on a copy of the real site:
#   mkdir -p /tmp/reload/proj && cp -r content templates static site.yaml CITATION.cff /tmp/reload/proj/
#   python3 bench/reload-times.py target/release/medfm 3 /tmp/reload/proj
# Each run edits a file (body, front matter, template, site.yaml), polls /__medfm/version every
# 10 ms until it increments, and prints the time from the write to the new number (the watcher's
# 50 ms debounce included); each edit is then undone (not timed) before the next.
import subprocess, time, urllib.request, re, os, sys, statistics
M = sys.argv[1]; runs = int(sys.argv[2]); root = sys.argv[3]
log = open(os.path.join(os.path.dirname(root), "serve.log"), "w")
p = subprocess.Popen([M, "serve", "--port", "0", "--root", root], stdout=subprocess.PIPE, stderr=log, text=True)
line = p.stdout.readline(); port = re.search(r":(\d+)/", line).group(1)
def version():
    try: return int(urllib.request.urlopen(f"http://127.0.0.1:{port}/__medfm/version", timeout=5).read())
    except Exception: return -1
while version() < 1: time.sleep(0.05)
time.sleep(1.0)
def edit(rel, old, new):
    path = os.path.join(root, rel); t = open(path).read(); assert old in t, (rel, old)
    v = version(); start = time.monotonic()
    open(path, "w").write(t.replace(old, new, 1))
    while version() <= v: time.sleep(0.01)
    took = time.monotonic() - start; time.sleep(0.8); return took
cases = {
 "body": ("content/models/3dsam-adapter.en.md", "## Overview\n\n3DSAM", "## Overview\n\nX 3DSAM"),
 "front matter (summary)": ("content/models/3dsam-adapter.en.md", "summary: A promptable", "summary: X A promptable"),
 "template": ("templates/base.html", "</body>", "<!-- x --></body>"),
 "site.yaml": ("site.yaml", "\n", "\n# x\n"),
}
res = {k: [] for k in cases}
for i in range(runs):
    for k, (rel, old, new) in cases.items():
        res[k].append(edit(rel, old, new))
        # undo (also a change; not timed separately)
        path = os.path.join(root, rel); t = open(path).read(); v = version()
        open(path, "w").write(t.replace(new, old, 1))
        while version() <= v: time.sleep(0.01)
        time.sleep(0.8)
p.kill(); p.wait()
for k, v in res.items():
    print(f"{k:24} " + " ".join(f"{x*1000:.0f}" for x in v) + f"  median {statistics.median(v)*1000:.0f} ms")
