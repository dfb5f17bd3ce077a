use std::rc::Rc;

use yew::prelude::*;

use crate::duration::{go_duration, Millis, SECOND};
use crate::explain::format::mmss;
use crate::session::lanes::{Lanes, Lifecycle};

#[derive(Properties, PartialEq)]
pub struct ProbeTimelineProps {
    /// What the worker computed of the pod's probes and lifecycle (`crate::session::lanes`).
    pub lanes: Rc<Lanes>,
    pub pod: String,
}

/// Width of the drawing in SVG units; it scales to the panel's width.
const WIDTH: f64 = 860.0;
/// Where lanes start (labels sit left of it) and end.
const LEFT: f64 = 128.0;
const RIGHT: f64 = WIDTH - 14.0;
const LANE: f64 = 26.0;

/// One SVG per pod: for each container a lane per probe (a mark per execution, the initial-delay
/// window, the failure count against the threshold), a READY lane, and the kubelet's kills,
/// restarts and CrashLoopBackOff waits. Scripted steps and typed commands sit on the top lane.
#[function_component]
pub fn ProbeTimeline(props: &ProbeTimelineProps) -> Html {
    let lanes = &*props.lanes;
    let (start, end, now) = (lanes.start, lanes.end, lanes.now);
    let scale = Scale { start, end };

    let mut y = 8.0;
    let mut body: Vec<Html> = Vec::new();

    // Scripted steps (still to come, faded) and commands that ran, on one lane at the top.
    body.push(lane_label(y, "commands", ""));
    body.push(html! { <line class="lane-rule" x1={LEFT.to_string()} x2={RIGHT.to_string()} y1={(y + LANE / 2.0).to_string()} y2={(y + LANE / 2.0).to_string()} /> });
    for mark in &lanes.commands {
        let (at, command, done) = (mark.at, &mark.command, mark.done);
        let x = scale.x(at);
        let cy = y + LANE / 2.0;
        body.push(html! {
            <g class={classes!("command", (!done).then_some("future"))}>
                <path d={format!("M{x} {} l6 6 l-6 6 l-6 -6 z", cy - 6.0)} />
                <title>{ format!("{} {}{}", mmss(at), command, if done { "" } else { " (scheduled)" }) }</title>
            </g>
        });
    }
    y += LANE + 6.0;

    for container in &lanes.containers {
        let cname = container.name.as_str();
        let group_top = y;
        let restarts = container.restarts;
        body.push(html! {
            <text class="container-title" x="4" y={(y + 14.0).to_string()}>
                { format!("container {cname}") }
                <tspan class="muted" dx="10">{ format!("{} in view", crate::explain::format::count(restarts as i64, "restart")) }</tspan>
            </text>
        });
        y += 22.0;

        for lane in &container.probes {
            let kind = lane.kind.as_str();
            let (delay, period, threshold) = (lane.delay, lane.period, lane.threshold);
            body.push(lane_label(y, kind, &format!("every {period}s · ×{threshold}")));
            body.push(html! { <rect class="lane-bg" x={LEFT.to_string()} y={y.to_string()} width={(RIGHT - LEFT).to_string()} height={LANE.to_string()} rx="4" /> });
            // Probes do not run during initialDelaySeconds after each start.
            if delay > 0 {
                for s in &lane.starts {
                    let (x1, x2) = (scale.x(*s), scale.x(*s + delay as Millis * SECOND));
                    if x2 <= LEFT || x1 >= RIGHT {
                        continue;
                    }
                    body.push(html! {
                        <g class="initial-delay">
                            <rect x={x1.to_string()} y={(y + 2.0).to_string()} width={(x2 - x1).max(1.0).to_string()} height={(LANE - 4.0).to_string()} rx="3" />
                            if x2 - x1 > 70.0 { <text x={(x1 + 4.0).to_string()} y={(y + LANE / 2.0 + 4.0).to_string()}>{ format!("initialDelay {delay}s") }</text> }
                            <title>{ format!("initialDelaySeconds: {delay}: no {kind} probe before {}", mmss(*s + delay as Millis * SECOND)) }</title>
                        </g>
                    });
                }
            }
            // Labels for the failure count only fit when marks are far enough apart.
            let spacing = scale.x(start + period as Millis * SECOND) - LEFT;
            for r in &lane.marks {
                let x = scale.x(r.at);
                let cy = y + LANE / 2.0;
                let class = match r.result.as_str() {
                    "success" => "ok",
                    "failure" => "bad",
                    _ => "unknown",
                };
                let tooltip = r.tooltip.clone();
                let label = (r.result == "failure" && spacing >= 16.0)
                    .then(|| format!("{}/{}", r.run.min(r.threshold), r.threshold));
                let crossed = r.result == "failure" && r.run >= r.threshold;
                body.push(html! {
                    <g class={classes!("probe-mark", class, crossed.then_some("crossed"))} data-probe={kind.to_string()} data-result={r.result.clone()}>
                        if class == "ok" {
                            <circle cx={x.to_string()} cy={cy.to_string()} r="4.5" />
                        } else {
                            <path d={format!("M{} {} l8 8 m0 -8 l-8 8", x - 4.0, cy - 4.0)} />
                        }
                        if let Some(label) = label {
                            <text x={x.to_string()} y={(y - 1.0).to_string()} text-anchor="middle">{ label }</text>
                        }
                        <title>{ tooltip }</title>
                    </g>
                });
            }
            // Where the cached result flipped (the threshold was crossed).
            for (at, result) in &lane.flips {
                let x = scale.x(*at);
                body.push(html! {
                    <g class={classes!("flip", if result == "success" { "ok" } else { "bad" })}>
                        <line x1={x.to_string()} x2={x.to_string()} y1={y.to_string()} y2={(y + LANE).to_string()} />
                        <title>{ format!("{} {kind} result became {result}", mmss(*at)) }</title>
                    </g>
                });
            }
            y += LANE + 8.0;
        }

        // READY: derived from the container's readiness transitions in the trace.
        body.push(lane_label(y, "READY", ""));
        body.push(html! { <rect class="lane-bg" x={LEFT.to_string()} y={y.to_string()} width={(RIGHT - LEFT).to_string()} height={LANE.to_string()} rx="4" /> });
        for (from, to) in container.ready.iter().copied() {
            let (x1, x2) = (scale.x(from.max(start)), scale.x(to));
            body.push(html! {
                <g class="ready-span">
                    <rect x={x1.to_string()} y={(y + 5.0).to_string()} width={(x2 - x1).max(1.5).to_string()} height={(LANE - 10.0).to_string()} rx="3" />
                    <title>{ format!("ready from {} to {}", mmss(from), if to >= now { "now".to_string() } else { mmss(to) }) }</title>
                </g>
            });
        }
        y += LANE + 8.0;

        // Lifecycle: back-off waits, kills, exits and restarts, drawn across the container's lanes.
        let lifecycle_y = y;
        body.push(lane_label(y, "lifecycle", ""));
        for (at, backoff, until) in container.waits.iter().copied() {
            let (x1, x2) = (scale.x(at.max(start)), scale.x(until.min(end)));
            let waiting = until > now;
            let label = if waiting {
                format!("next restart in {}", go_duration(until - now))
            } else {
                format!("back-off {}", go_duration(backoff))
            };
            body.push(html! {
                <g class={classes!("backoff", waiting.then_some("waiting"))}>
                    <rect x={x1.to_string()} y={(lifecycle_y + 3.0).to_string()} width={(x2 - x1).max(2.0).to_string()} height={(LANE - 6.0).to_string()} rx="3" />
                    if x2 - x1 > 60.0 || waiting {
                        <text x={(x1 + 4.0).to_string()} y={(lifecycle_y + LANE / 2.0 + 4.0).to_string()}>{ label.clone() }</text>
                    }
                    <title>{ format!("{} CrashLoopBackOff: {} (until {})", mmss(at), label, mmss(until)) }</title>
                </g>
            });
        }
        for t in &container.lifecycle {
            match t {
                Lifecycle::Killing { at, reason, grace_seconds } => {
                    let x = scale.x(*at);
                    body.push(html! {
                        <g class="kill">
                            <line x1={x.to_string()} x2={x.to_string()} y1={group_top.to_string()} y2={(lifecycle_y + LANE).to_string()} />
                            <path d={format!("M{} {} l10 0 l-5 9 z", x - 5.0, lifecycle_y + 2.0)} />
                            <title>{ format!("{} kill: {reason} (grace {grace_seconds}s)", mmss(*at)) }</title>
                        </g>
                    });
                }
                Lifecycle::Exited { at, exit_code, reason } => {
                    let x = scale.x(*at);
                    body.push(html! {
                        <g class="exit">
                            <rect x={(x - 4.0).to_string()} y={(lifecycle_y + LANE / 2.0 - 4.0).to_string()} width="8" height="8" />
                            <title>{ format!("{} exited with code {exit_code} ({reason})", mmss(*at)) }</title>
                        </g>
                    });
                }
                Lifecycle::Started { at, restart_count } => {
                    let x = scale.x(*at);
                    let restart = *restart_count > 0;
                    body.push(html! {
                        <g class={classes!("start", restart.then_some("restart"))}>
                            <path d={format!("M{} {} l9 6 l-9 6 z", x, lifecycle_y + LANE / 2.0 - 6.0)} />
                            if restart {
                                <text x={(x + 11.0).to_string()} y={(lifecycle_y + LANE / 2.0 + 4.0).to_string()}>{ format!("#{restart_count}") }</text>
                            }
                            <title>{ if restart { format!("{} restarted (restart #{restart_count})", mmss(*at)) } else { format!("{} started", mmss(*at)) } }</title>
                        </g>
                    });
                }
            }
        }
        y += LANE + 14.0;
    }

    // The time axis and the "now" line.
    let axis_y = y;
    let step = tick_step(end - start);
    let first_tick = start.div_ceil(step) * step;
    let now_x = scale.x(now);
    let ticks = (0..)
        .map(|i| first_tick + i * step)
        .take_while(|t| *t <= end)
        .map(|t| {
            let x = scale.x(t);
            // The "now" label wins over a tick label it would overlap.
            let labelled = (x - now_x).abs() > 26.0;
            html! {
                <g class="tick">
                    <line x1={x.to_string()} x2={x.to_string()} y1="4" y2={axis_y.to_string()} />
                    if labelled {
                        <text x={x.to_string()} y={(axis_y + 14.0).to_string()} text-anchor="middle">{ mmss(t) }</text>
                    }
                </g>
            }
        });
    let height = axis_y + 22.0;
    html! {
        <figure class="probe-timeline">
            <figcaption>
                <h3>{"Probe timeline"}</h3>
                <span class="legend">
                    <span class="key ok">{"success"}</span><span class="key bad">{"failure n/threshold"}</span>
                    <span class="key delay">{"initial delay"}</span><span class="key ready">{"ready"}</span>
                    <span class="key kill">{"kill"}</span><span class="key backoff">{"back-off"}</span>
                </span>
            </figcaption>
            <svg viewBox={format!("0 0 {WIDTH} {height}")} role="img"
                aria-label={format!("Probe timeline of pod {} from {} to {}", props.pod, mmss(start), mmss(end))}>
                <g class="ticks">{ for ticks }</g>
                { for body }
                <g class="now">
                    <line x1={now_x.to_string()} x2={now_x.to_string()} y1="2" y2={axis_y.to_string()} />
                    <text x={now_x.to_string()} y={(axis_y + 14.0).to_string()} text-anchor="middle">{"now"}</text>
                </g>
            </svg>
        </figure>
    }
}

/// Maps virtual time to x.
struct Scale {
    start: Millis,
    end: Millis,
}

impl Scale {
    fn x(&self, at: Millis) -> f64 {
        let span = (self.end - self.start).max(1) as f64;
        let fraction = (at.clamp(self.start, self.end) - self.start) as f64 / span;
        (LEFT + fraction * (RIGHT - LEFT)).round()
    }
}

fn lane_label(y: f64, title: &str, subtitle: &str) -> Html {
    html! {
        <text class="lane-label" x={(LEFT - 8.0).to_string()} y={(y + LANE / 2.0 + 1.0).to_string()} text-anchor="end">
            { title.to_string() }
            if !subtitle.is_empty() {
                <tspan class="sub" x={(LEFT - 8.0).to_string()} dy="11">{ subtitle.to_string() }</tspan>
            }
        </text>
    }
}

/// A tick spacing giving between 4 and 12 ticks.
fn tick_step(span: Millis) -> Millis {
    [5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600]
        .into_iter()
        .map(|s| s * SECOND)
        .find(|s| span / s <= 10)
        .unwrap_or(3600 * SECOND)
}
