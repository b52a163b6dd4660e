"""Issue 24, hardening third pass: numbers YAML 1.1 reads differently than people write them,
hand-edited customers.csv files (pool.initial_from), a Dask address that is not a scheduler, Ctrl-C
during the long commands, size limits checked before reading, leftovers of an interrupted publish,
and file names or values escaped for the YAML they flow into. Every case failed before its fix."""
from __future__ import annotations

import fcntl
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

import sim
from sim.cli import main, run_command
from sim.core.files import publish_dir, write_atomic

ROOT = Path(__file__).resolve().parents[1]
BASELINE = str(ROOT / "scenarios" / "baseline.yaml")
GIB = 2**30


def one_line_error(capsys, *fragments: str) -> str:
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1 and len(err) < 600, err
    for f in fragments:
        assert f in err, (f, err)
    return err


# ----------------------------------------------------------------- 1. numbers as people write them

@pytest.mark.parametrize("key,text,fragments", [
    ("groups.size", "020", ["groups.size", "'020'", "write 20", "octal"]),
    ("offers.discount_every_days", "030", ["offers.discount_every_days", "write 30"]),
    ("service.one_to_one_hours_per_day", "1:30", ["one_to_one_hours_per_day", "'1:30'", "90", "1.5"]),
    ("groups.size", "0x1F", ["groups.size", "'0x1F'", "write 31"]),
    ("groups.size", "0o17", ["groups.size", "write 15"]),
    ("groups.size", "0b11", ["groups.size", "'0b11'", "write 3"]),
    ("messaging.per_week", "-07", ["messaging.per_week", "write -7"]),
])
def test_yaml11_numbers_refused_in_files_set_grid_and_python(tmp_path, capsys, key, text, fragments):
    section, name = key.split(".")
    f = tmp_path / "s.yaml"
    f.write_text(f"extends: {BASELINE}\n{section}:\n  {name}: {text}\n", encoding="utf-8")
    with pytest.raises(sim.ScenarioError) as err:
        sim.load_scenario(f)
    assert err.value.key == key and len(str(err.value)) < 400
    for frag in fragments:
        assert frag in str(err.value), (frag, str(err.value))
    with pytest.raises(sim.ScenarioError) as err:                         # a string override from Python
        sim.load_scenario(BASELINE, {key: text})
    assert all(frag in str(err.value) for frag in fragments), str(err.value)
    assert main(["validate", BASELINE, "--set", f"{key}={text}"]) == 2
    one_line_error(capsys, *fragments)
    out = tmp_path / "sw"
    assert main(["sweep", BASELINE, "--grid", f"{key}=0,{text}", "--seeds", "1", "--out", str(out)]) == 2
    one_line_error(capsys, key, repr(text))
    assert not out.exists()


def test_cli_sizes_refuse_yaml11_numbers(capsys):
    assert main(["validate", BASELINE, "--set", "market.users=1e5"]) == 0          # as today
    assert main(["validate", BASELINE, "--set", "market.users=100_000"]) == 0
    capsys.readouterr()
    assert main(["run", BASELINE, "--users", "020000", "--days", "5"]) == 2
    one_line_error(capsys, "--users", "'020000'", "write 20000")


def test_plain_numbers_and_text_that_look_like_yaml11_numbers(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text(f"extends: {BASELINE}\nname: 020\ntitle: 1:30 pm\nmarket:\n  users: 100_000\n  price_rmb: 1.5e2\n"
                 "groups:\n  size: 0\n", encoding="utf-8")
    sc = sim.load_scenario(f)
    assert sc.name == "020" and sc.title == "1:30 pm"                   # text keys keep what was written
    assert sc.market.users == 100_000 and sc.market.price_rmb == 150.0 and sc.groups.size == 0


# ----------------------------------------------------------------- 2. pool.initial_from

GOOD = ("customer_id,first_order_days_ago,last_order_days_ago,orders,spend,in_pool\n"
        "a,300,10,3,450.5,1\nb,200,200,1,99,0\n")


def _with_customers(tmp_path, text: str | bytes) -> Path:
    c = tmp_path / "customers.csv"
    c.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    f = tmp_path / "s.yaml"
    f.write_text(f"extends: {BASELINE}\npool:\n  initial_from: customers.csv\n", encoding="utf-8")
    return f


@pytest.mark.parametrize("text,fragments", [
    ("customer_id,first_order_days_ago,last_order_days_ago,orders,spend,in_pool\na,300,10,,\"¥1,200\",1\n",
     ["line 2", "'orders'", "empty"]),
    ("customer_id,first_order_days_ago,last_order_days_ago,orders,spend,in_pool\na,300,10,2,\"¥1,200\",1\n",
     ["line 2", "'spend'", "¥1,200"]),
    (GOOD + "c,30,3,-5,10,0\n", ["line 4", "'orders'", "-5", "at least 1"]),
    (GOOD + "c,30,3,2.5,10,0\n", ["line 4", "'orders'", "2.5", "whole"]),
    (GOOD + "c,30,3,2,-1,0\n", ["line 4", "'spend'", "-1"]),
    (GOOD + "c,30,3,2,nan,0\n", ["line 4", "'spend'", "nan"]),
    (GOOD + "c,99999,3,2,10,0\n", ["line 4", "'first_order_days_ago'", "99999", "3650"]),
    (GOOD + "c,30,40,2,10,0\n", ["line 4", "'last_order_days_ago'", "40", "first_order_days_ago"]),
    (GOOD + "c,30,-1,2,10,0\n", ["line 4", "'last_order_days_ago'", "-1"]),
    (GOOD + "c,30,3,2,10,2\n", ["line 4", "'in_pool'", "0 or 1"]),
    (GOOD + "c,30,3,2,10,yes\n", ["line 4", "'in_pool'", "yes"]),
    (GOOD + "a,30,3,2,10,0\n", ["line 4", "'customer_id'", "twice"]),
    ("customer_id,date,amount\nc1,2024-01-01,10\n", ["missing", "calibrate"]),
    ("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n", ["missing"]),
    (b"customer_id,first_order_days_ago\xff\n", ["UTF-8"]),
    ("", ["empty"]),
    ("customer_id,first_order_days_ago,last_order_days_ago,orders,spend,in_pool\n", ["no customers"]),
])
def test_bad_customers_file_refused_by_validate_with_line_column_value(tmp_path, capsys, text, fragments):
    f = _with_customers(tmp_path, text)
    with pytest.raises(sim.ScenarioError) as err:
        sim.load_scenario(f)
    msg = str(err.value)
    assert "customers.csv" in msg and len(msg) < 400 and "\n" not in msg, msg
    for frag in fragments:
        assert frag in msg, (frag, msg)
    assert main(["validate", str(f)]) == 2
    one_line_error(capsys, "customers.csv", *fragments)


def test_run_reads_customers_with_the_same_checks_and_extra_columns_pass(tmp_path):
    """Extra columns (e.g. ones a later calibrate adds) pass; a file that became bad after the scenario was
    loaded is refused by run with the same message as validate."""
    extra = GOOD.replace("in_pool\n", "in_pool,frequency,T_days\n").replace(",1\nb", ",1,2,300\nb").replace(",0\n", ",0,0,200\n")
    f = _with_customers(tmp_path, extra)
    sc = sim.load_scenario(f, {"market.users": 1000, "acquisition.daily_budget": 0.0})
    res = sim.run(sc, days=3, seed=0)
    assert 1 <= (res.users["channel"] == "existing").sum() <= 2          # those still customers (btyd posterior)
    (tmp_path / "customers.csv").write_text(GOOD + "c,30,3,-5,10,0\n", encoding="utf-8")
    with pytest.raises(sim.ScenarioError, match=r"line 4, column 'orders': '-5'"):
        sim.run(sc, days=2, seed=0)


# ----------------------------------------------------------------- 3. a Dask address that is not a scheduler

class _Http(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"<html>dashboard</html>")
    do_HEAD = do_GET

    def log_message(self, *a):
        pass


class _QuietHttpServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):     # the client hung up after the status line: fine
        pass


def _silent_server():
    """A TCP server that accepts connections and never says anything."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    held = []

    def accept():
        while True:
            try:
                held.append(srv.accept()[0])
            except OSError:
                return
    threading.Thread(target=accept, daemon=True).start()
    return srv, held


@pytest.mark.parametrize("kind", ["http", "silent"])
def test_dask_address_that_is_not_a_scheduler_refused_quickly_creating_nothing(tmp_path, capsys, kind):
    if kind == "http":
        srv = _QuietHttpServer(("127.0.0.1", 0), _Http)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        port, stop = srv.server_address[1], srv.shutdown
    else:
        sock, held = _silent_server()
        port, stop = sock.getsockname()[1], sock.close
    addr = f"tcp://127.0.0.1:{port}"
    out = tmp_path / "sw"
    t0 = time.monotonic()
    try:
        rc = main(["sweep", BASELINE, "--grid", "messaging.per_week=1,2", "--seeds", "1", "--users", "300", "--days", "5",
                   "--out", str(out), "--dask", addr])
    finally:
        stop()
    assert time.monotonic() - t0 < 30
    assert rc == 2 and not out.exists()
    one_line_error(capsys, addr, "HTTP" if kind == "http" else "sent nothing")


# ----------------------------------------------------------------- 4. Ctrl-C

def test_interrupt_inside_compiled_code_is_one_line_130(capsys):
    """A KeyboardInterrupt raised inside Numba-compiled code surfaces as a SystemError caused by it."""
    def fn(_args):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise SystemError("<numba function> returned a result with an exception set") from exc
    assert run_command(fn, SimpleNamespace(cmd="calibrate", out="out/fit")) == 130
    err = capsys.readouterr().err
    assert err.startswith("interrupted; ") and len(err.strip().splitlines()) == 1 and "SystemError" not in err, err


def _usage(group: int) -> tuple[float, int]:
    """(CPU seconds used so far, processes) of process group `group`."""
    total, procs = 0, 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:
            total, procs = total + int(fields[11]) + int(fields[12]), procs + 1
    return total / os.sysconf("SC_CLK_TCK"), procs


def _interrupt(args: list[str], cpu: float, group: bool = False, procs: int = 1) -> tuple[int, list[str]]:
    """Start `python -m sim ARGS` in a process group of its own, send SIGINT (to the process, or with `group` to
    the whole group, as a terminal does) once the group has `procs` processes that used `cpu` seconds of CPU
    (it is working, past its imports), return (exit code, stderr lines without progress-bar redraws). `report` runs with a stand-in
    font where no CJK font is installed (it checks for one first; the interrupt comes before any chart)."""
    from sim.present.style import cjk_font
    cmd = ["-m", "sim", *args]
    if args[0] == "report" and cjk_font() is None:
        cmd = ["-c", "import sys; from sim.present import style; style._font_cache['name'] = 'DejaVu Sans'; "
                     f"from sim.cli import main; sys.exit(main({args!r}))"]
    # SIGINT as a terminal has it: a runner started in the background (`cmd &` in a script, as CI may be) ignores
    # SIGINT, its children inherit that, and Python then installs no Ctrl-C handler (the command would run on)
    p = subprocess.Popen([sys.executable, *cmd], cwd=ROOT, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, start_new_session=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 120
        while p.poll() is None and time.monotonic() < deadline:
            used, n = _usage(p.pid)
            if used >= cpu and n >= procs:
                break
            time.sleep(0.05)
        assert p.poll() is None, "finished before it was interrupted"
        os.killpg(p.pid, signal.SIGINT) if group else p.send_signal(signal.SIGINT)
        try:
            err = p.communicate(timeout=60)[1]
        except subprocess.TimeoutExpired:
            err = "still running 60 s after Ctrl-C"
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)          # the group this test made: the command and its workers
            p.communicate()
    lines = [ln for ln in err.replace("\r", "\n").splitlines() if ln.strip() and "it/s" not in ln and "s/it" not in ln
             and "%|" not in ln]
    return p.returncode, lines


@pytest.fixture(scope="module")
def orders_csv(tmp_path_factory):
    from sim.lab.synthetic import synthetic_orders
    path = tmp_path_factory.mktemp("orders") / "orders.csv"
    synthetic_orders({"market.purchase_cycle_days": 60.0}, customers=600, days=240, seed=3).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("command", ["calibrate", "optimise", "uncertain", "uncertain-group", "report", "explain"])
def test_ctrl_c_exits_130_with_one_line(tmp_path, orders_csv, command):
    out = tmp_path / "out"
    small = ["--users", "3000", "--days", "200"]
    args, kept, group = {
        "calibrate": (["calibrate", str(orders_csv), "--out", str(out), "--seeds", "1000"], "nothing", False),
        "optimise": (["optimise", BASELINE, "--lever", "messaging.per_week=0:14", "--trials", "100000", *small,
                      "--out", str(out)], "study.journal", False),
        "uncertain": (["compare", "discount_only", "differentiated_service", "--uncertain", "1000", "--workers", "2",
                       *small], "nothing", False),
        "uncertain-group": (["compare", "discount_only", "differentiated_service", "--uncertain", "1000", "--workers",
                             "2", *small], "nothing", True),
        "report": (["report", "--out", str(out), "--seeds", "1000", *small], "nothing", False),
        "explain": (["compare", "discount_only", "differentiated_service", "--explain", "--seeds", "1000", *small],
                    "nothing", False),
    }[command]
    workers = "--workers" in args                     # then: once the 2 workers (forked: no resource tracker) run too
    rc, lines = _interrupt(args, cpu=9.0 if workers else 4.0, group=group, procs=3 if workers else 1)
    assert rc == 130, lines
    assert len(lines) == 1 and lines[0].startswith("interrupted; ") and kept in lines[0], lines
    if command != "optimise":
        assert not out.exists()


# ----------------------------------------------------------------- 5. size limits before reading

def _sparse(path: Path, size: int = 2 * GIB) -> Path:
    with open(path, "wb") as fh:
        fh.truncate(size)
    return path


def _in_process_limited(code: str) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter that cannot allocate more than 1.5 GiB beyond what it has after importing sim."""
    prog = ("import resource, sys, sim.cli, pandas, numpy\n"
            "used = int(open('/proc/self/statm').read().split()[0]) * resource.getpagesize()\n"
            "resource.setrlimit(resource.RLIMIT_AS, (used + 3 * 2**29, resource.RLIM_INFINITY))\n" + code)
    return subprocess.run([sys.executable, "-c", prog], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_2gib_scenario_and_extends_target_refused_without_reading(tmp_path):
    big = _sparse(tmp_path / "big.yaml")
    child = tmp_path / "child.yaml"
    child.write_text("extends: big.yaml\nname: c\n", encoding="utf-8")
    for f in (big, child):
        p = _in_process_limited(f"sys.exit(sim.cli.main(['validate', {str(f)!r}]))")
        assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
        assert "big.yaml" in p.stderr and "2,147,483,648 bytes" in p.stderr and "1,000,000" in p.stderr, p.stderr


def test_2gib_orders_and_customers_files_refused_without_reading(tmp_path):
    big = _sparse(tmp_path / "orders.csv")
    p = _in_process_limited(f"sys.exit(sim.cli.main(['calibrate', {str(big)!r}, '--out', {str(tmp_path / 'fit')!r}]))")
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
    assert "orders.csv" in p.stderr and "2,147,483,648 bytes" in p.stderr and "1,000,000,000" in p.stderr, p.stderr
    assert not (tmp_path / "fit").exists()
    _sparse(tmp_path / "customers.csv")
    f = tmp_path / "s.yaml"
    f.write_text(f"extends: {BASELINE}\npool:\n  initial_from: customers.csv\n", encoding="utf-8")
    p = _in_process_limited(f"sys.exit(sim.cli.main(['validate', {str(f)!r}]))")
    assert p.returncode == 2 and "customers.csv" in p.stderr and "2,147,483,648 bytes" in p.stderr, p.stderr


# ----------------------------------------------------------------- 6. leftovers of an interrupted publish

def test_publish_removes_its_own_stale_leftovers_only(tmp_path):
    out = tmp_path / "o"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep")
    stale_dir = tmp_path / ".o.new-abc12_yz"
    stale_dir.mkdir()
    (stale_dir / "daily.csv").write_text("half")
    (tmp_path / ".o.old-q1w2e3r4").mkdir()
    (tmp_path / ".o.new-zz99yy88").symlink_to(outside, target_is_directory=True)
    keep = [".o.new-mine", ".other.new-abcdefgh", "o.new-abcdefgh", ".o.new-abcdefgh.txt"]
    for name in keep[:2]:
        (tmp_path / name).mkdir()
    for name in keep[2:]:
        (tmp_path / name).write_text("mine")
    busy = tmp_path / ".o.new-busy1234"                     # another publish into o still writing
    busy.mkdir()
    fd = os.open(busy, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with publish_dir(out, ["*.txt"]) as tmp:
            write_atomic(tmp / "a.txt", "new")
    finally:
        os.close(fd)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["o", "elsewhere", busy.name, *keep])
    assert (outside / "precious.txt").read_text() == "keep"


def test_publish_over_a_symlinked_folder_leaves_no_link_behind(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "srv_link"
    link.symlink_to(real, target_is_directory=True)
    for text in ("one", "two"):
        with publish_dir(link, ["*.txt"]) as tmp:
            write_atomic(tmp / "a.txt", text)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real", "srv_link"]
    assert (link / "a.txt").read_text() == "two"


# ----------------------------------------------------------------- 7. escaping for YAML and CSV

EVIL = ["or\nders: x.csv", "a\u2028b #c", "tab\there 'q' \"d\"", "nel\x85x", "- [x]: {y}"]


def test_calibrated_scenario_yaml_survives_any_file_name_and_scenario_name(tmp_path):
    from sim.present.calibration_report import scenario_yaml
    for text in EVIL:
        sc = sim.load_scenario(None, {"name": text, "title": text})
        cal = SimpleNamespace(source=f"/data/{text}.csv", fitted_on="2024-07-01", end=pd.Timestamp("2024-06-30"),
                              params={"market.price_rmb": 120.0}, scenario=sc, uncertainty={})
        doc = scenario_yaml(cal)
        data = yaml.safe_load(doc)
        assert data["name"] == text and data["title"] == text, repr(text)
        assert data["market"]["price_rmb"] == 120.0
        assert "# fitted from" in doc.split("price_rmb:")[1].split("\n")[0]
        (tmp_path / "customers.csv").write_text(GOOD, encoding="utf-8")
        (tmp_path / "scenario.yaml").write_text(doc, encoding="utf-8")
        back = sim.load_scenario(tmp_path / "scenario.yaml")
        assert back.name == text and back.title == text


def test_scenario_to_yaml_round_trips_any_text():
    for text in EVIL:
        sc = sim.load_scenario(None, {"name": text, "title_zh": text})
        assert yaml.safe_load(sc.to_yaml())["name"] == text and yaml.safe_load(sc.to_yaml())["title_zh"] == text


def test_customer_ids_with_commas_quotes_and_line_breaks_round_trip_and_lines_are_counted(tmp_path):
    from sim.mechanisms.history import read_customers
    ids = ["a,b", 'say "hi"', "line\nbreak", "=1+2", "x\r\ny"]
    df = pd.DataFrame({"customer_id": ids, "first_order_days_ago": [10] * 5, "last_order_days_ago": [1] * 5,
                       "orders": [2] * 5, "spend": [20.0] * 5, "in_pool": [0, 1, 0, 1, 0]})
    (tmp_path / "customers.csv").write_text(df.to_csv(index=False), encoding="utf-8")
    back = read_customers(str(tmp_path / "customers.csv"))
    assert back["customer_id"].tolist() == ids and back["orders"].tolist() == [2] * 5
    df.loc[4, "orders"] = 0                                     # rows 3 and 5 span two lines: row 5 starts on line 7
    (tmp_path / "customers.csv").write_text(df.to_csv(index=False), encoding="utf-8")
    with pytest.raises(sim.ScenarioError, match=r"line 7, column 'orders': '0' is not a whole number"):
        read_customers(str(tmp_path / "customers.csv"))
