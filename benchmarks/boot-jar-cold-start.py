#!/usr/bin/env python3
"""Cold start of Spring Boot executable jars (with Actuator), interleaved: JVM start to readiness UP.

How BENCHMARKS.md measured the starter on Spring PetClinic (issue 26): the first variant is the baseline, the
others are the same application with the starter (no component, four components, another build of the starter).

Each start is a child `java -jar <jar>` with default JVM flags (H2, default profile). The script picks a free
port on 127.0.0.1, polls GET /actuator/health/readiness every POLL_S seconds (bounded by TIMEOUT_S) and records,
at the first answer with status UP:
  wall_ms    time from just before the child is spawned to the first UP answer;
  proc_cpu   the process's CPU time at that moment, /proc/<pid>/stat utime+stime (all threads, dead ones
             included; clock ticks, so 10 ms resolution);
  main_cpu   the CPU time of the Java main thread (the task named "java" other than the launcher's), from
             /proc/<pid>/task/<tid>/schedstat (ns);
  started_s  "process running for" of Boot's "Started <Application>" line (JVM start to run's end).
Then SIGTERM (SIGKILL after 30 s) and wait. The load average is read before and after each start.
Variants run A B C A B C ...; with --rotate each round begins one variant later (A B C, B C A, C A B, ...), so
that no variant always comes first or right after the same one. The first WARMUPS rounds are dropped. Give the
baseline twice (two copies of its jar, e.g. in /dev/shm) to see what separates two runs of the same jar: on a
2-vCPU virtual machine that is tens of milliseconds over 30 rounds, more over fewer. One more start per variant with
-Xlog:class+load counts the classes loaded (total, and dev.conductor.*) until ready.

usage: boot-jar-cold-start.py --java JAVA --out DIR --rounds N --warmups W [--rotate] name=jar [name=jar ...]
"""
import argparse, json, math, os, re, signal, socket, statistics, subprocess, sys, time, urllib.request

POLL_S = 0.005
TIMEOUT_S = 120
CLK = os.sysconf('SC_CLK_TCK')
children = set()


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def loadavg():
    with open('/proc/loadavg') as f:
        return f.read().split()[0]


def proc_cpu_ms(pid):
    with open(f'/proc/{pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    # fields[0] is state (field 3); utime is field 14, stime 15
    return (int(fields[11]) + int(fields[12])) * 1000.0 / CLK


def main_thread_cpu_ms(pid):
    best = None
    for tid in os.listdir(f'/proc/{pid}/task'):
        if int(tid) == pid:
            continue
        try:
            with open(f'/proc/{pid}/task/{tid}/comm') as f:
                comm = f.read().strip()
            if comm != 'java':
                continue
            if best is None or int(tid) < best:
                best = int(tid)
        except OSError:
            pass
    if best is None:
        return float('nan')
    with open(f'/proc/{pid}/task/{best}/schedstat') as f:
        return int(f.read().split()[0]) / 1e6


def ready(port):
    try:
        with urllib.request.urlopen(f'http://127.0.0.1:{port}/actuator/health/readiness', timeout=1) as r:
            return r.status == 200 and json.loads(r.read()).get('status') == 'UP'
    except Exception:
        return False


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    children.discard(p)


def start_one(java, jar, log, extra_jvm=()):
    port = free_port()
    cmd = [java, *extra_jvm, '-jar', jar, f'--server.port={port}', '--server.address=127.0.0.1',
           '--management.endpoint.health.probes.enabled=true']
    la_before = loadavg()
    with open(log, 'w') as out:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        children.add(p)
        try:
            deadline = t0 + TIMEOUT_S
            while True:
                if ready(port):
                    wall = (time.monotonic() - t0) * 1000
                    pcpu = proc_cpu_ms(p.pid)
                    mcpu = main_thread_cpu_ms(p.pid)
                    break
                if p.poll() is not None:
                    raise RuntimeError(f'{jar} exited with {p.returncode}, see {log}')
                if time.monotonic() > deadline:
                    raise RuntimeError(f'{jar} not ready in {TIMEOUT_S} s, see {log}')
                time.sleep(POLL_S)
        finally:
            stop(p)
    la_after = loadavg()
    started = float('nan')
    with open(log, errors='replace') as f:
        m = re.search(r'Started \S+ in [0-9.]+ seconds \(process running for ([0-9.]+)\)', f.read())
        if m:
            started = float(m.group(1)) * 1000
    return dict(wall=wall, proc_cpu=pcpu, main_cpu=mcpu, started=started, la_before=la_before, la_after=la_after)


def count_classes(java, jar, logdir, name):
    cl = os.path.join(logdir, f'classload-{name}.txt')
    start_one(java, jar, os.path.join(logdir, f'classload-{name}.log'),
              extra_jvm=(f'-Xlog:class+load=info:file={cl}',))
    total = conductor = 0
    with open(cl, errors='replace') as f:
        for line in f:
            m = re.search(r'\] (\S+) source:', line)
            if m:
                total += 1
                if m.group(1).startswith('dev.conductor.'):
                    conductor += 1
    return total, conductor


def med(xs):
    return statistics.median(xs)


def sign_interval(diffs):
    """A distribution-free ~95 % interval for the median of paired differences (sign test): the order statistics
    k and n+1-k of the sorted differences, k the largest with P(Binomial(n, 1/2) < k) <= 0.025."""
    n, d, k = len(diffs), sorted(diffs), 0
    for j in range(1, n + 1):
        if sum(math.comb(n, i) for i in range(j)) / 2 ** n <= 0.025:
            k = j
    return (d[k - 1], d[n - k]) if k else (float('nan'), float('nan'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--java', default='java')
    ap.add_argument('--out', required=True)
    ap.add_argument('--rounds', type=int, default=15)
    ap.add_argument('--warmups', type=int, default=1)
    ap.add_argument('--rotate', action='store_true', help='begin each round one variant later')
    ap.add_argument('variants', nargs='+')
    a = ap.parse_args()
    variants = [v.split('=', 1) for v in a.variants]
    os.makedirs(a.out, exist_ok=True)
    version = subprocess.run([a.java, '-version'], capture_output=True, text=True).stderr.splitlines()[1]
    print('java:', version, flush=True)
    results = {n: [] for n, _ in variants}
    with open(os.path.join(a.out, 'runs.tsv'), 'w') as tsv:
        tsv.write('round\tvariant\twall_ms\tproc_cpu_ms\tmain_cpu_ms\tstarted_ms\tload_before\tload_after\n')
        for r in range(a.warmups + a.rounds):
            shift = r % len(variants) if a.rotate else 0
            for name, jar in variants[shift:] + variants[:shift]:
                res = start_one(a.java, jar, os.path.join(a.out, f'run-{r:02d}-{name}.log'))
                tag = 'warmup' if r < a.warmups else str(r - a.warmups)
                line = (f"{tag}\t{name}\t{res['wall']:.0f}\t{res['proc_cpu']:.0f}\t{res['main_cpu']:.0f}\t"
                        f"{res['started']:.0f}\t{res['la_before']}\t{res['la_after']}")
                print(line, flush=True)
                tsv.write(line + '\n')
                tsv.flush()
                if r >= a.warmups:
                    results[name].append(res)
    classes = {name: count_classes(a.java, jar, a.out, name) for name, jar in variants}
    base = variants[0][0]
    summary = [f'java: {version}', f'rounds: {a.rounds} after {a.warmups} warm-up', '']
    summary.append('| Variant | wall ms median (paired diff median) | min-max | process CPU ms median (paired diff) '
                   '| min-max | main thread CPU ms median (paired diff) | min-max | Started (process running for) ms '
                   '| classes | dev.conductor | paired diff ~95 % interval: wall, main thread CPU |')
    summary.append('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
    for name, _ in variants:
        rs = results[name]
        cols = []
        for key in ('wall', 'proc_cpu', 'main_cpu'):
            xs = [x[key] for x in rs]
            diff = med([x[key] - b[key] for x, b in zip(rs, results[base])])
            cols.append(f'{med(xs):.0f} ({diff:+.0f}) | {min(xs):.0f}-{max(xs):.0f}')
        st = [x['started'] for x in rs]
        stdiff = med([x['started'] - b['started'] for x, b in zip(rs, results[base])])
        ci = [sign_interval([x[key] - b[key] for x, b in zip(rs, results[base])]) for key in ('wall', 'main_cpu')]
        summary.append(f'| {name} | ' + ' | '.join(cols) + f' | {med(st):.0f} ({stdiff:+.0f}) | '
                       f'{classes[name][0]} | {classes[name][1]} | '
                       + ', '.join(f'[{lo:+.0f}, {hi:+.0f}]' for lo, hi in ci) + ' |')
    loads = [float(x['la_before']) for n in results for x in results[n]] + \
            [float(x['la_after']) for n in results for x in results[n]]
    summary.append('')
    summary.append(f'load average (1 min) over the measured runs: {min(loads):.2f}-{max(loads):.2f}, '
                   f'median {med(loads):.2f}')
    text = '\n'.join(summary)
    print(text)
    with open(os.path.join(a.out, 'summary.md'), 'w') as f:
        f.write(text + '\n')


if __name__ == '__main__':
    try:
        main()
    finally:
        for p in list(children):
            stop(p)
