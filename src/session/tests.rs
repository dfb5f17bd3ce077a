//! The session answers the page's requests as the page used to act on the simulation itself: seeks
//! in slices that can stop, ticks, commands, and a run rebuilt from its inputs after a crash.

use super::*;

fn yaml(slug: &str) -> String {
    crate::gallery::find(slug).unwrap_or_else(|| panic!("no built-in scenario {slug}")).yaml.to_string()
}

fn load(session: &mut Session, yaml: String, inputs: Vec<(Millis, Input)>, at: Millis) {
    session.handle(Request::Load { id: 7, yaml, inputs, at, notice: None });
}

/// Every report the session has, acknowledging each snapshot as the page does after drawing it.
fn drain(session: &mut Session) -> Vec<Report> {
    let mut all = Vec::new();
    loop {
        let reports = session.take_reports();
        if reports.is_empty() {
            return all;
        }
        for report in &reports {
            if let Report::View { view } = report {
                session.handle(Request::Shown { revision: view.revision });
            }
        }
        all.extend(reports);
    }
}

fn last_view(reports: &[Report]) -> &View {
    reports
        .iter()
        .rev()
        .find_map(|r| match r {
            Report::View { view } => Some(&**view),
            _ => None,
        })
        .expect("a snapshot")
}

/// Works through the goal under way in slices of `slice`, reporting after each.
fn finish(session: &mut Session, slice: Millis) -> Vec<Report> {
    let mut all = drain(session);
    while session.busy() {
        session.work(slice);
        all.extend(drain(session));
    }
    all
}

#[test]
fn a_long_seek_goes_in_slices_and_arrives_where_a_direct_run_does() {
    let mut session = Session::new();
    load(&mut session, yaml("liveness-exec"), Vec::new(), 0);
    let loaded = drain(&mut session);
    assert!(matches!(&loaded[0], Report::Loaded { id: 7, notice: None, .. }), "{loaded:?}");
    session.handle(Request::Seek { at: 125_000 });
    let reports = finish(&mut session, 10_000);
    let views: Vec<&View> = reports
        .iter()
        .filter_map(|r| match r {
            Report::View { view } => Some(&**view),
            _ => None,
        })
        .collect();
    assert!(views.len() >= 12, "one snapshot per slice: {}", views.len());
    assert!(views[..views.len() - 1]
        .iter()
        .all(|v| v.seeking == Some(view::Seeking { from: 0, target: 125_000 })));
    let last = views.last().unwrap();
    assert_eq!((last.now, last.seeking), (125_000, None));

    let mut sim = Simulation::load(&yaml("liveness-exec")).unwrap();
    sim.run_until(125_000);
    assert_eq!(last.rows, sim.pod_rows());
    assert_eq!(last.events, events::EventList::of(&sim));
}

#[test]
fn stopping_a_seek_keeps_what_was_simulated() {
    let mut session = Session::new();
    load(&mut session, yaml("liveness-exec"), Vec::new(), 3_600_000);
    drain(&mut session);
    session.work(5_000);
    session.work(5_000);
    session.handle(Request::StopSeek);
    let reports = drain(&mut session);
    let view = last_view(&reports);
    assert_eq!((view.now, view.seeking), (10_000, None));
    assert!(!session.busy());
    session.handle(Request::Step);
    assert_eq!(last_view(&drain(&mut session)).now, 11_000);
}

#[test]
fn a_snapshot_waits_until_the_page_has_shown_the_one_before() {
    let mut session = Session::new();
    load(&mut session, yaml("liveness-exec"), Vec::new(), 0);
    let first = session.take_reports();
    let revision = last_view(&first).revision;
    session.handle(Request::Step);
    session.handle(Request::Step);
    assert!(session.take_reports().is_empty(), "nothing new until the page has drawn");
    assert!(session.waiting_for_page());
    session.handle(Request::Shown { revision });
    let next = session.take_reports();
    assert_eq!(next.len(), 1);
    assert_eq!(last_view(&next).now, 2_000, "the newest state, the steps in between skipped");
}

#[test]
fn a_play_tick_advances_speed_times_the_tick_and_says_so() {
    let mut session = Session::new();
    load(&mut session, yaml("liveness-exec"), Vec::new(), 0);
    session.handle(Request::Speed { speed: 10 });
    session.begin_tick();
    assert!(!session.busy(), "no tick while paused");
    session.handle(Request::Play);
    drain(&mut session);
    session.begin_tick();
    assert!(session.ticking());
    session.work(400);
    assert!(drain(&mut session).is_empty(), "a tick reports when it is complete");
    session.work(10_000);
    let reports = drain(&mut session);
    let view = last_view(&reports);
    assert_eq!((view.now, view.tick, view.highlight, view.playing), (1_000, true, true, true));
    session.set_behind(true);
    assert!(last_view(&drain(&mut session)).behind);
}

#[test]
fn a_run_is_rebuilt_from_its_inputs_and_instant() {
    let mut session = Session::new();
    load(&mut session, yaml("liveness-exec"), Vec::new(), 0);
    session.handle(Request::Seek { at: 20_000 });
    finish(&mut session, 60_000);
    session.handle(Request::Run {
        id: 3,
        line: "kubectl delete pod liveness-exec".into(),
        yaml: String::new(),
    });
    let reports = drain(&mut session);
    let ran = reports.iter().find_map(|r| match r {
        Report::Ran { id: 3, at, output, ok, .. } => Some((*at, output.clone(), *ok)),
        _ => None,
    });
    assert_eq!(
        ran,
        Some((20_000, "pod \"liveness-exec\" deleted from default namespace\n".to_string(), true))
    );
    let inputs = reports
        .iter()
        .rev()
        .find_map(|r| match r {
            Report::Inputs { inputs } => Some(inputs.clone()),
            _ => None,
        })
        .expect("the inputs");
    session.handle(Request::Seek { at: 45_000 });
    let before = last_view(&finish(&mut session, 60_000)).clone();

    let mut rebuilt = Session::new();
    load(&mut rebuilt, yaml("liveness-exec"), inputs, 45_000);
    // The page sends the speed while the run replays; that does not stop the replay.
    rebuilt.handle(Request::Speed { speed: 5 });
    let after = last_view(&finish(&mut rebuilt, 7_000)).clone();
    assert_eq!((after.now, &after.rows, &after.events), (before.now, &before.rows, &before.events));
    assert_eq!(after.marks, before.marks);
}

#[test]
fn apply_from_the_terminal_applies_the_editors_text_and_bad_text_reports_its_problems() {
    let mut session = Session::new();
    load(&mut session, String::new(), Vec::new(), 0);
    drain(&mut session);
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: one\nspec:\n  containers:\n  - name: c\n    image: nginx\n";
    session.handle(Request::Run { id: 1, line: "kubectl apply -f-".into(), yaml: pod.into() });
    let reports = drain(&mut session);
    assert!(reports
        .iter()
        .any(|r| matches!(r, Report::Ran { output, ok: true, .. } if output == "pod/one created\n")));
    assert_eq!(last_view(&reports).rows.len(), 1);
    session.handle(Request::Apply { yaml: "kind: [".into() });
    let reports = drain(&mut session);
    assert!(reports.iter().any(|r| matches!(r, Report::Problems { problems } if !problems.is_empty())));
    assert!(reports.iter().any(|r| matches!(r, Report::Ran { ok: false, .. })));
}

#[test]
fn the_selected_pods_detail_and_the_host_reports_come_with_each_snapshot() {
    let mut session = Session::new();
    session.handle(Request::Host { report: true });
    load(&mut session, yaml("liveness-exec"), Vec::new(), 0);
    let selection = Selection { pod: None, container: None, first_pod: true, lanes: true };
    session.handle(Request::Select { selection });
    session.handle(Request::Seek { at: 40_000 });
    let reports = finish(&mut session, 60_000);
    let view = last_view(&reports);
    let detail = view.detail.as_ref().expect("the first pod's detail");
    assert!(detail.found && detail.pod == "liveness-exec", "{detail:?}");
    assert!(detail.describe.contains("Name:") && !detail.reasons.is_empty());
    let lanes = detail.lanes.as_ref().expect("the probe timeline");
    assert!(lanes.containers[0].probes[0].marks.len() >= 5, "{lanes:?}");
    let host = view.host.as_ref().expect("host reports");
    assert!(host.state.contains("\"type\":\"state\""), "{}", host.state);
}

#[test]
fn requests_and_reports_survive_json() {
    let request = Request::Load {
        id: 1,
        yaml: "a: b".into(),
        inputs: vec![(5, Input::Command("kubectl get pods".into())), (6, Input::Apply("x".into()))],
        at: 9,
        notice: Some("held".into()),
    };
    assert_eq!(Request::from_json(&request.to_json()), Ok(request));
    let mut session = Session::new();
    load(&mut session, yaml("readiness-httpd"), Vec::new(), 30_000);
    for report in finish(&mut session, 60_000) {
        assert_eq!(Report::from_json(&report.to_json()).as_ref(), Ok(&report));
    }
    assert!(Request::from_json("{\"type\":\"fly\"}").unwrap_err().contains("cannot read"));
}

/// The timeline's data agrees with the API view (issue "trust the screen"): in liveness-exec the
/// kubelet decides to kill at 45 s but the shell ignores SIGTERM until SIGKILL at 75 s, and
/// `kubectl get pods` shows the container ready throughout, so at 60 s the READY lane is still
/// open; a success counted past its threshold says so instead of reading "(6/1)".
#[test]
fn the_timeline_lanes_agree_with_the_api_view() {
    let mut sim = crate::sim::Simulation::load(&yaml("liveness-exec")).expect("loads");
    sim.run_until(60_000);
    let lanes = lanes::lanes(&sim, "default", "liveness-exec").expect("the pod's lanes");
    let container = &lanes.containers[0];
    assert!(sim.snapshot().pods[0].containers[0].ready, "the API says ready at 60 s");
    assert!(
        container.ready.iter().any(|(from, to)| *from <= 60_000 && *to >= 60_000),
        "READY lane at 60 s: {:?}",
        container.ready
    );
    let tooltips: Vec<&str> =
        container.probes.iter().flat_map(|p| p.marks.iter().map(|m| m.tooltip.as_str())).collect();
    assert!(!tooltips.is_empty());
    assert!(tooltips.iter().all(|t| !t.contains("/1)")), "{tooltips:?}");
    assert!(tooltips.iter().any(|t| t.contains("already reached")), "{tooltips:?}");
}
