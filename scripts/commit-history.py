#!/usr/bin/env python3
"""Builds a throwaway git history for leakbisect's commit-range mode and a recipe that searches it.

OUT/repo is a git repository: tag `good` is the first commit, then --commits first-parent commits up
to tag `bad`. The leak arrives at commit --leak-at (1-based, after good); the commit --broken-setup-at
breaks the setup (the next one fixes it); the commit --merge-at merges a two-commit side branch.
OUT/recipe.toml searches good..bad; runs go to OUT/runs.

--app python: a tiny Python HTTP server (starts in ~0.1 s) that keeps --leak-bytes per request
              (and --good-leak-bytes from good on, for a good that already grows).
--app shop:   the example shop (SHOP_BINARY, prebuilt), its leaky chunk switched on by leak.txt.
Each commit's setup (prepare.py) "builds" the checkout: it byte-compiles the app into build/ and
writes build/ready, without which the app refuses to start.
"""
import argparse
import os
import subprocess
import sys
import textwrap

APP_PY = textwrap.dedent('''\
    # A page that keeps LEAK bytes per request once leak.txt names a size.
    import os, sys
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    here = os.path.dirname(os.path.abspath(__file__))
    if not os.path.exists(os.path.join(here, "build", "ready")):
        sys.exit("not prepared: run prepare.py first")
    with open(os.path.join(here, "leak.txt")) as f:
        leak = f.read().strip()
    leak_bytes = 0 if leak == "none" else int(leak)
    kept = []


    def chunk_on(name):  # leakbisect's chunk switch; on when unset, so the app runs normally without it
        return os.environ.get("CHUNK_" + name, "1") != "0"

    class Page(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes

        def do_GET(self):
            header = "orders" if chunk_on("HEADER") else ""
            if leak_bytes and chunk_on("AUDIT"):
                kept.append(bytearray(leak_bytes))
            prices = {i: i * 1.1 for i in range(16)} if chunk_on("PRICES") else {}
            body = b"ok\\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Page).serve_forever()
''')

RUN_SHOP_PY = textwrap.dedent('''\
    # Starts the prebuilt example shop with the chunk leak.txt names leaking (all chunks on).
    import os, sys
    here = os.path.dirname(os.path.abspath(__file__))
    if not os.path.exists(os.path.join(here, "build", "ready")):
        sys.exit("not prepared: run prepare.py first")
    with open(os.path.join(here, "leak.txt")) as f:
        leak = f.read().strip()
    os.environ["SHOP_LEAK_CHUNK"] = leak
    shop = os.environ["SHOP_BINARY"]
    os.execv(shop, [shop, "--port", sys.argv[1]])
''')

PREPARE_PY = textwrap.dedent('''\
    # The setup of each checkout: compile the app and mark it ready.
    import os, py_compile
    here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(os.path.join(here, "build"), exist_ok=True)
    for name in ("app.py", "run_shop.py"):
        if os.path.exists(os.path.join(here, name)):
            py_compile.compile(os.path.join(here, name), cfile=os.path.join(here, "build", name + "c"), doraise=True)
    open(os.path.join(here, "build", "ready"), "w").close()
''')

BROKEN_PREPARE_PY = 'raise SystemExit("prepare.py: this commit broke the build")\n'

SUBJECTS = [
    "Tidy the order page's template", "Add a currency column", "Rename the totals helper",
    "Cache the customer lookup", "Log slow requests", "Split the header partial",
    "Bump the timeout", "Move styles into one file", "Add the warnings panel",
    "Show the shipping address", "Keep a per-request audit entry", "Format prices once",
    "Add print view", "Drop the old footer", "Trim the session payload", "Inline the badge icon",
]


def git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="Ann Example", GIT_AUTHOR_EMAIL="ann@example.com",
               GIT_COMMITTER_NAME="Ann Example", GIT_COMMITTER_EMAIL="ann@example.com")
    subprocess.run(["git", "-C", repo, *args], check=True, env=env, stdout=subprocess.DEVNULL)


def write(repo, name, text):
    with open(os.path.join(repo, name), "w") as f:
        f.write(text)


def commit(repo, subject):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", subject)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--commits", type=int, default=16)
    parser.add_argument("--leak-at", type=int, default=11)
    parser.add_argument("--broken-setup-at", type=int, default=8)
    parser.add_argument("--merge-at", type=int, default=6)
    parser.add_argument("--leak-from-good", action="store_true", help="good already leaks")
    parser.add_argument("--good-leak-bytes", type=int, default=0,
                        help="python app: good already grows by this much per request (a runtime still "
                             "settling), less than the leak that arrives later")
    parser.add_argument("--app", choices=["python", "shop"], default="python")
    parser.add_argument("--leak-bytes", type=int, default=8192)
    parser.add_argument("--shop-binary", default="")
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--chunks", action="store_true",
                        help="python app: also declare its chunks header, audit (the leak) and prices")
    args = parser.parse_args()
    n = args.commits
    for name, at in (("--leak-at", args.leak_at), ("--merge-at", args.merge_at)):
        if not 1 <= at <= n:
            parser.error(f"{name} must be from 1 to --commits")
    if args.broken_setup_at and not 1 <= args.broken_setup_at < n:
        parser.error("--broken-setup-at must be from 1 to --commits - 1 (0: none)")

    leak_value = str(args.leak_bytes) if args.app == "python" else "warnings_panel"
    repo = os.path.join(args.out, "repo")
    os.makedirs(repo)
    git(repo, "init", "-q", "-b", "main")
    write(repo, "app.py" if args.app == "python" else "run_shop.py", APP_PY if args.app == "python" else RUN_SHOP_PY)
    write(repo, "prepare.py", PREPARE_PY)
    write(repo, ".gitignore", "build/\n")
    good_value = str(args.good_leak_bytes) if args.good_leak_bytes > 0 else "none"
    write(repo, "leak.txt", (leak_value if args.leak_from_good else good_value) + "\n")
    write(repo, "history.txt", "0\n")
    commit(repo, "The order page as released")
    git(repo, "tag", "good")

    for i in range(1, n + 1):
        subject = SUBJECTS[(i - 1) % len(SUBJECTS)] + ("" if i <= len(SUBJECTS) else f" ({i})")
        if i == args.merge_at:
            git(repo, "checkout", "-q", "-b", "side")
            for j in (1, 2):
                with open(os.path.join(repo, "side.txt"), "a") as f:
                    f.write(f"side {j}\n")
                commit(repo, f"Side branch change {j}")
            git(repo, "checkout", "-q", "main")
            git(repo, "merge", "-q", "--no-ff", "-m", "Merge the side branch", "side")
            if i != args.leak_at and i != args.broken_setup_at and i != args.broken_setup_at + 1:
                continue
        with open(os.path.join(repo, "history.txt"), "a") as f:
            f.write(f"{i}\n")
        if i == args.leak_at:
            write(repo, "leak.txt", leak_value + "\n")
            subject = "Keep every order's audit entry in memory"
        if i == args.broken_setup_at:
            write(repo, "prepare.py", BROKEN_PREPARE_PY)
            subject = "Rework the build (breaks prepare.py)"
        if i == args.broken_setup_at + 1:
            write(repo, "prepare.py", PREPARE_PY)
            subject = "Fix the build"
        if i == args.merge_at:
            git(repo, "commit", "-q", "--amend", "-m", "Merge the side branch; " + subject, "--no-edit")
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "--amend", "--no-edit")
            continue
        commit(repo, subject)
    git(repo, "tag", "bad")

    if args.app == "python":
        command = '["python3", "app.py", "{port}"]'
        env = ""
        ready = 'ready = { http = "/", timeout = "10s" }'
        load = f"requests = {args.requests}\nconcurrency = 2\nwarmup = {args.requests // 10}"
        verdict = 'min_leak = "1KiB"\nmax_requests = %d' % (args.requests * 4)
    else:
        command = '["python3", "run_shop.py", "{port}"]'
        env = f'env = {{ SHOP_ENV = "production", SHOP_BINARY = "{os.path.abspath(args.shop_binary)}" }}'
        ready = 'ready = { http = "/up", timeout = "20s" }'
        load = f"requests = {args.requests}\nconcurrency = 4\nwarmup = 500"
        verdict = 'min_leak = "100B"'
    write(args.out, "recipe.toml", (textwrap.dedent(f'''\
        name = "which commit"

        [app]
        command = {command}
        cwd = "repo"
        {env}
        {ready}
        stop = {{ signal = "TERM", grace = "5s" }}

        [load]
        {load}

        [[load.request]]
        path = "/orders/42"
        expect = [200]

        [revisions]
        good = "good"
        bad = "bad"
        setup = ["python3", "prepare.py"]
        setup_timeout = "60s"

        [verdict]
        {verdict}

        [report]
        dir = "runs"
        ''') + ('''
        [[chunk]]
        name = "header"
        [[chunk]]
        name = "audit"
        [[chunk]]
        name = "prices"
        ''' if args.chunks else "")).replace("\n\n\n", "\n\n"))
    recipe = os.path.join(args.out, "recipe.toml")
    with open(recipe) as f:
        lines = [line.strip() for line in f.read().splitlines()]
    write(args.out, "recipe.toml", "\n".join(lines) + "\n")
    print(f"{repo}: good + {n} first-parent commits; the leak arrives at commit {args.leak_at}")


if __name__ == "__main__":
    sys.exit(main())
