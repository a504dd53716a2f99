//! Measuring helpers shared by the two benchmark programs (`client-comparison` includes
//! this file with `#[path]`): latency percentiles, medians, CPU time, memory, formatting.

use std::time::Duration;

/// Latencies of one run, in nanoseconds.
#[derive(Debug, Default)]
pub struct Latencies(pub Vec<u64>);

impl Latencies {
    /// The `q` quantile (0..=1), nearest rank; `None` when there is no sample.
    pub fn quantile(&mut self, q: f64) -> Option<Duration> {
        if self.0.is_empty() {
            return None;
        }
        self.0.sort_unstable();
        let rank = ((q * self.0.len() as f64).ceil() as usize).clamp(1, self.0.len());
        Some(Duration::from_nanos(self.0[rank - 1]))
    }
}

/// One measured run of a load: how many requests, how long, latencies, CPU.
#[derive(Clone, Copy, Debug)]
pub struct Run {
    /// Requests per second over the run.
    pub rate: f64,
    /// Median latency.
    pub p50: Duration,
    /// 99th percentile latency.
    pub p99: Duration,
    /// CPU time per request of the measured side (µs), when known.
    pub cpu_per_request_us: Option<f64>,
}

/// The median of `values` (the mean of the two middle ones for an even count).
pub fn median(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.into_iter().collect();
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Medians over runs: rate, p50, p99 and CPU per request.
#[derive(Clone, Copy, Debug)]
pub struct Summary {
    pub rate: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub cpu_per_request_us: Option<f64>,
}

impl Summary {
    pub fn of(runs: &[Run]) -> Summary {
        let cpu: Vec<f64> = runs.iter().filter_map(|r| r.cpu_per_request_us).collect();
        Summary {
            rate: median(runs.iter().map(|r| r.rate)),
            p50: Duration::from_secs_f64(median(runs.iter().map(|r| r.p50.as_secs_f64()))),
            p99: Duration::from_secs_f64(median(runs.iter().map(|r| r.p99.as_secs_f64()))),
            cpu_per_request_us: (!cpu.is_empty()).then(|| median(cpu)),
        }
    }
}

/// Iterations per batch of [`timed`] (and of the in-process router calls).
pub const ITERATIONS: usize = 10_000;
/// Batches per figure of [`interleaved`].
pub const BATCHES: usize = 7;

/// A batch of [`ITERATIONS`] calls of `f`: nanoseconds per call.
pub fn timed(mut f: impl FnMut()) -> impl FnMut() -> Result<f64, String> {
    move || {
        let start = std::time::Instant::now();
        for _ in 0..ITERATIONS {
            f();
        }
        Ok(start.elapsed().as_nanos() as f64 / ITERATIONS as f64)
    }
}

/// The median over [`BATCHES`] batches of each of `batches` (each call of one runs one
/// batch and returns nanoseconds per call), the batches interleaved so drift of the
/// machine hits every figure alike; a first batch of each warms up and is dropped.
pub fn interleaved(
    batches: &mut [&mut dyn FnMut() -> Result<f64, String>],
) -> Result<Vec<f64>, String> {
    let mut figures = vec![Vec::with_capacity(BATCHES); batches.len()];
    for round in 0..=BATCHES {
        for (i, batch) in batches.iter_mut().enumerate() {
            let ns = batch()?;
            if round > 0 {
                figures[i].push(ns);
            }
        }
    }
    Ok(figures.into_iter().map(median).collect())
}

/// User plus system CPU time of this process so far (`getrusage(RUSAGE_SELF)`).
pub fn process_cpu_time() -> Duration {
    // SAFETY: `getrusage` only writes the `rusage` we hand it, which is zeroed and owned.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return Duration::ZERO;
        }
        usage
    };
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}

/// A `kB` field of `/proc/self/status` (`VmHWM`: peak resident set; `VmRSS`: current).
pub fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

/// `12,345`.
pub fn fmt_rate(rate: f64) -> String {
    let text = (rate.round() as u64).to_string();
    let head = match text.len() % 3 {
        0 => 3.min(text.len()),
        n => n,
    };
    let mut out = text[..head].to_string();
    for group in text.as_bytes()[head..].chunks(3) {
        out.push(',');
        out.push_str(std::str::from_utf8(group).expect("ASCII digits"));
    }
    out
}

/// `41 µs`, `1.23 ms`.
pub fn fmt_latency(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.0} µs")
    } else {
        format!("{:.2} ms", us / 1000.0)
    }
}

/// `1.07x`.
pub fn fmt_ratio(ours: f64, reference: f64) -> String {
    if reference > 0.0 && ours.is_finite() {
        format!("{:.2}x", ours / reference)
    } else {
        "-".into()
    }
}

/// `12.3 MiB`.
pub fn fmt_kib(kib: Option<u64>) -> String {
    match kib {
        Some(kib) => format!("{:.1} MiB", kib as f64 / 1024.0),
        None => "-".into(),
    }
}

/// `5.4 µs`.
pub fn fmt_cpu_us(us: Option<f64>) -> String {
    match us {
        Some(us) => format!("{us:.1} µs"),
        None => "-".into(),
    }
}

/// The machine, for the report's caveats: CPU model, cores, kernel.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, m)| m.trim().to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    format!("{model}, {cores} cores available, Linux {kernel}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_statistics() {
        assert_eq!(fmt_rate(0.4), "0");
        assert_eq!(fmt_rate(999.0), "999");
        assert_eq!(fmt_rate(1234.0), "1,234");
        assert_eq!(fmt_rate(123_456_789.0), "123,456,789");
        assert_eq!(median([3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median([4.0, 1.0, 2.0, 3.0]), 2.5);
        let mut latencies = Latencies((1..=100).collect());
        assert_eq!(latencies.quantile(0.5), Some(Duration::from_nanos(50)));
        assert_eq!(latencies.quantile(0.99), Some(Duration::from_nanos(99)));
        assert!(Latencies::default().quantile(0.5).is_none());
    }
}
