use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::duration::Millis;
use crate::embed::{parse_inbound, EditorMode, EmbedOptions, InboundError, Outbound, Panel, Theme};
use crate::session::Request;
use crate::web::bridge::{announce, Peer};
use crate::web::components::editor_panel::EditorPanel;
use crate::web::components::embed_panel::EmbedPanel;
use crate::web::components::endpoints_table::EndpointsTable;
use crate::web::components::events_table::EventsTable;
use crate::web::components::gallery::Gallery;
use crate::web::components::header::Header;
use crate::web::components::link_notices::{KeepOrReplace, LinkError};
use crate::web::components::pod_detail::PodDetail;
use crate::web::components::pods_table::PodsTable;
use crate::web::components::save_problem::SaveProblem;
use crate::web::components::share_panel::SharePanel;
use crate::web::components::simulation_status::{SimulationBusy, SimulationStopped};
use crate::web::components::terminal::Terminal;
use crate::web::components::workloads_table::WorkloadsTable;
use crate::web::hooks::{use_debounced, use_ticker};
use crate::web::link::Link;
use crate::web::page::{self, Autosave};
use crate::web::perf;
use crate::web::state::{Action, ContainerRef, Pending, Simulation, State, TICK_MS};

/// Real milliseconds of quiet typing before the editor's text is validated.
const VALIDATE_AFTER_MS: u32 = 300;

/// Real milliseconds of quiet typing before the editor's text is autosaved.
const AUTOSAVE_AFTER_MS: u32 = 400;
/// The `localStorage` key of the full playground's autosave.
const AUTOSAVE_KEY: &str = "probe-playground.autosave";

/// What the page's address asks for, read once at start.
struct Startup {
    options: EmbedOptions,
    /// What was wrong with the query, for the `ready` message.
    warnings: Vec<String>,
    /// Where the editor's text is autosaved. Each embedded lab keeps its own, so a course page's
    /// frames never overwrite each other's work or the full playground's.
    autosave_key: String,
}

impl Startup {
    fn read() -> Startup {
        let search = page::search();
        let (options, mut warnings) = EmbedOptions::from_query(search.strip_prefix('?').unwrap_or(&search));
        if let Some(slug) = &options.scenario {
            if crate::gallery::find(slug).is_none() {
                warnings.push(format!("scenario={slug} is not a built-in scenario; the usual one is shown"));
            }
        }
        let autosave_key = if options.embed {
            // The query names the lab; it is bounded so that a hostile address cannot make a huge key.
            let lab: String = options.to_query().chars().take(300).collect();
            format!("{AUTOSAVE_KEY}.embed?{lab}")
        } else {
            AUTOSAVE_KEY.to_string()
        };
        Startup { options, warnings, autosave_key }
    }
}

/// The state the page opens with. The learner's own work (a draft kept by the error banner, else the
/// autosave) is never replaced silently: a share link or a `scenario=` that differs from it is
/// offered instead, and a broken link only adds a message.
fn initial_state(startup: &Startup) -> State {
    let saved = page::load_autosave(&startup.autosave_key);
    let own = match (crate::web::panic::take_draft(), saved) {
        (Some(draft), saved) => {
            Some(Autosave { text: draft, base: saved.map(|s| s.base).unwrap_or_default() })
        }
        (None, saved) => saved,
    };
    let fragment = page::hash();
    let link = (!fragment.trim_start_matches('#').is_empty()).then(|| crate::share::decode(&fragment));
    let scenario = startup.options.scenario.as_deref().and_then(crate::gallery::find);
    // The gallery is compiled in from static/scenarios, and its tests check that it lists every file.
    let first = || crate::gallery::all().first().map(|e| e.yaml).unwrap_or_default().to_string();

    // Saved work is run again only if its last opening finished.
    let interrupted = own.is_some() && page::begin_opening(&startup.autosave_key);
    let mut state = match &own {
        Some(own) if interrupted => State::held(own.text.clone(), own.base.clone()),
        Some(own) => {
            let mut state = State::new(own.text.clone());
            state.base = own.base.clone();
            state
        }
        None => State::new(scenario.map_or_else(first, |e| e.yaml.to_string())),
    };
    let mut opened_link = false;
    match link {
        Some(Ok(link)) => {
            // A reload of a page opened from a link, with edits made since, keeps the edits quietly.
            let edited_from_link = own.as_ref().is_some_and(|o| o.base == link.yaml && o.text != link.yaml);
            if !edited_from_link {
                opened_link = !state.unsaved() || state.yaml == link.yaml;
                if opened_link {
                    state.open_link(link);
                } else {
                    state.pending = Some(Pending {
                        label: "the shared link".to_string(),
                        yaml: link.yaml.clone(),
                        shared: Some(link),
                    });
                }
            }
        }
        Some(Err(error)) => state.link_error = Some(capitalize(&error.to_string())),
        None => {
            if let Some(entry) = scenario.filter(|e| own.is_some() && e.yaml != state.base) {
                if state.unsaved() {
                    state.pending = Some(Pending {
                        label: format!("the scenario \u{201c}{}\u{201d}", entry.title),
                        yaml: entry.yaml.to_string(),
                        shared: None,
                    });
                } else {
                    state.load(entry.yaml.to_string());
                }
            }
        }
    }
    let options = &startup.options;
    // An embedded lab shows the first pod's detail unasked, and its host hears of every change.
    state.show_detail(options.embed, !options.embed || options.shows(Panel::Timeline));
    if options.embed {
        state.report_to_host();
    }
    if let Some(speed) = options.speed {
        state.set_speed(speed);
    }
    if let (Some(start), false) = (options.start, opened_link) {
        state.seek(start);
    }
    if options.autoplay {
        state.set_playing(true);
    }
    state.opened_with();
    state
}

/// The error texts start in lower case, to read well inside sentences; a banner starts a sentence.
fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// An open popover under the top bar.
#[derive(Clone, PartialEq)]
enum Popover {
    Share { url: String },
    Embed { fragment: String, slug: Option<String> },
}

/// The application: owns the one reducer and lays out the panels.
#[function_component]
pub fn App() -> Html {
    let startup = use_memo((), |_| Startup::read());
    let state = use_reducer({
        let startup = startup.clone();
        move || initial_state(&startup)
    });
    let popover = use_state(|| None::<Popover>);
    let dispatcher = state.dispatcher();
    let send = |make: fn() -> Action| {
        let d = dispatcher.clone();
        Callback::from(move |_: ()| d.dispatch(make()))
    };
    let options = &startup.options;

    // The simulation's worker: started with the page, again on Restart, and terminated when it
    // stops or the learner stops it.
    let link = use_mut_ref(|| None::<Link>);
    {
        let (link, d) = (link.clone(), dispatcher.clone());
        let running = state.simulation == Simulation::Running;
        use_effect_with((state.generation, running), move |(_, running)| {
            if *running {
                let (reports, failures) = (d.clone(), d.clone());
                *link.borrow_mut() = Some(Link::start(
                    move |report| reports.dispatch(Action::Report(report)),
                    move |reason| failures.dispatch(Action::SimulationFailed(reason)),
                ));
            }
            move || drop(link.borrow_mut().take())
        });
    }
    // The reducer only queues requests for the worker; they leave here, after the render.
    {
        let (link, posted) = (link.clone(), use_mut_ref(|| 0u64));
        let outbox = state.outbox.clone();
        use_effect_with(state.outbox.queued(), move |queued| {
            if let Some(link) = link.borrow().as_ref() {
                for request in outbox.since(*posted.borrow()) {
                    link.post(request);
                }
            }
            *posted.borrow_mut() = *queued;
        });
    }
    // Each snapshot drawn is acknowledged: the worker sends the next one only then.
    {
        let link = link.clone();
        use_effect_with(state.revision, move |revision| {
            if let Some(link) = link.borrow().as_ref() {
                link.post(&Request::Shown { revision: *revision });
            }
        });
    }
    // Highlights fade frame by frame; while the clock stands still, frames pass on their own.
    use_ticker(!state.playing && state.fading(), TICK_MS, send(|| Action::Fade));
    // Effects run once the whole tree has rendered, the App's last: a tick's work ends here.
    use_effect(perf::frame_rendered);
    use_effect_with((), move |_| page::announce_shown());
    {
        // Saved work counts as opened once the simulation has arrived where it was to start.
        let key = startup.autosave_key.clone();
        use_effect_with(state.opening, move |opening| {
            if !opening {
                page::opened(&key);
            }
        });
    }
    use_debounced(state.yaml.clone(), VALIDATE_AFTER_MS, send(|| Action::Validate));
    use_effect_with(state.yaml.clone(), |yaml| crate::web::panic::remember_yaml(yaml));
    use_effect_with(options.theme, |theme| {
        page::set_theme(match theme {
            Theme::Auto => None,
            theme => Some(theme.as_str()),
        })
    });

    // The reducer only queues the messages for the host page; they leave here, after the render.
    let posted = use_mut_ref(|| 0u64);
    {
        let bridge = state.bridge.clone();
        use_effect_with(state.bridge.queued(), move |_| bridge.post_queued(&mut posted.borrow_mut()));
    }

    // Autosave: after typing pauses, and once more when the page goes away.
    let latest = use_mut_ref(|| None::<Autosave>);
    {
        let key = startup.autosave_key.clone();
        let autosave = Autosave { text: state.yaml.clone(), base: state.base.clone() };
        *latest.borrow_mut() = Some(autosave.clone());
        let (d, failing) = (dispatcher.clone(), state.storage_problem.is_some());
        use_effect_with(autosave, move |autosave| {
            let autosave = autosave.clone();
            let timeout =
                Timeout::new(AUTOSAVE_AFTER_MS, move || match page::save_autosave(&key, &autosave) {
                    Ok(()) if failing => d.dispatch(Action::StorageWorks),
                    Ok(()) => {}
                    Err(reason) => d.dispatch(Action::StorageFailed(reason)),
                });
            move || drop(timeout)
        });
    }
    {
        let (latest, key) = (latest.clone(), startup.autosave_key.clone());
        use_effect_with((), move |_| {
            let listener = page::listen("pagehide", move |_| {
                // The page is going away: a failure can no longer be shown, and was shown before.
                if let Some(autosave) = latest.borrow().as_ref() {
                    let _ = page::save_autosave(&key, autosave);
                }
            });
            move || drop(listener)
        });
    }
    // A link pasted into the address bar of the open page arrives as a fragment change.
    {
        let d = dispatcher.clone();
        use_effect_with((), move |_| {
            let listener = page::listen("hashchange", move |_| {
                let fragment = page::hash();
                if fragment.trim_start_matches('#').is_empty() {
                    return;
                }
                match crate::share::decode(&fragment) {
                    Ok(link) => d.dispatch(Action::OpenLink(link)),
                    Err(error) => d.dispatch(Action::LinkFailed(capitalize(&error.to_string()))),
                }
            });
            move || drop(listener)
        });
    }
    // An embedded playground answers its host page and says when it is ready.
    {
        let d = dispatcher.clone();
        let (embed, warnings, options) = (options.embed, startup.warnings.clone(), options.clone());
        let startup_origins = options.origins.clone();
        use_effect_with((), move |_| {
            let listener = embed.then(|| {
                let listener = page::listen("message", move |event| {
                    let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else { return };
                    // `origins=` names the pages allowed to drive the frame; others are not answered.
                    if !options.allows_origin(&event.origin()) {
                        web_sys::console::warn_1(
                            &format!(
                                "Probe Playground ignored a message from {}, which origins= does not name",
                                event.origin()
                            )
                            .into(),
                        );
                        return;
                    }
                    let data = event.data();
                    let text = match data.as_string() {
                        Some(text) => text,
                        None => match js_sys::JSON::stringify(&data).ok().and_then(|t| t.as_string()) {
                            Some(text) => text,
                            None => return,
                        },
                    };
                    let peer = Peer { source: event.source().map(JsValue::from), origin: event.origin() };
                    match parse_inbound(&text) {
                        Ok(request) => d.dispatch(Action::Host(request, peer)),
                        Err(InboundError::NotForUs) => {}
                        Err(InboundError::Invalid(message)) => peer.post(&Outbound::Error { message }),
                    }
                });
                announce(warnings, startup_origins.as_deref());
                listener
            });
            move || drop(listener)
        });
    }

    // Callbacks made once, so that a panel whose data did not change skips rendering; the two
    // that need the state read the latest one when clicked.
    let latest_state = use_mut_ref(|| None::<UseReducerHandle<State>>);
    *latest_state.borrow_mut() = Some(state.clone());
    let handlers = use_memo((), {
        let (d, latest_state, popover) = (dispatcher.clone(), latest_state.clone(), popover.setter());
        move |_| Handlers::new(d, latest_state, popover)
    });
    let Handlers {
        on_play,
        on_pause,
        on_step,
        on_next_event,
        on_speed,
        on_seek,
        on_stop_seek,
        on_edit,
        on_apply,
        on_reset,
        on_run,
        on_load,
        on_select,
        on_select_container,
        on_open_shell,
        on_close_shell,
        on_clear_terminal,
        on_keep,
        on_replace,
        on_dismiss,
        on_share,
        on_embed,
        on_close_popover,
        on_download,
        on_restart,
        on_stop_simulation,
    } = (*handlers).clone();

    let title = state.title.clone();
    let marks: Vec<(Millis, String)> = (*state.marks).clone();
    let current = state.scenario.clone();

    let highlighted = state.highlighted_cells();
    let address_changes = state.address_highlights();
    let flash_rules = html! { <style>{ state.flash_rules() }</style> };

    let embed = options.embed;
    // Styles that only pay off while the clock runs (see app.css) hang on this class.
    let playing = state.playing.then_some("playing");
    let header = html! {
        <Header {title} now={state.now} horizon={state.horizon} rewound={state.rewound} playing={state.playing} speed={state.speed}
            {marks} {on_play} {on_pause} {on_step} {on_next_event} {on_speed} {on_seek}
            seeking={state.seeking} {on_stop_seek} behind={state.behind}
            compact={embed} on_share={(!embed).then_some(on_share)} on_embed={(!embed).then_some(on_embed)} />
    };
    let banners = html! {
        <>
            if let Simulation::Stopped { reason } = &state.simulation {
                <SimulationStopped reason={reason.clone()} on_restart={on_restart.clone()} />
            }
            <SimulationBusy expecting={state.expecting()} reports={state.reports} on_stop={on_stop_simulation.clone()} />
            if let Some(message) = &state.link_error {
                <LinkError message={message.clone()} {on_dismiss} />
            }
            if let (Some(reason), true) = (&state.storage_problem, state.unsaved()) {
                <SaveProblem reason={reason.clone()} on_download={on_download.clone()} />
            }
            if let Some(pending) = &state.pending {
                <KeepOrReplace label={pending.label.clone()} {on_keep} {on_replace} />
            }
            if let Some(popover) = &*popover {
                { match popover.clone() {
                    Popover::Share { url } => html! { <SharePanel {url} now={state.now} on_close={on_close_popover.clone()} /> },
                    Popover::Embed { fragment, slug } => html! {
                        <EmbedPanel base_url={page::base_url()} {slug} {fragment} now={state.now} speed={state.speed}
                            on_close={on_close_popover.clone()} />
                    },
                } }
            }
            if let Some((text, bad)) = &state.notice {
                <p class={classes!("notice", bad.then_some("bad"))} role="status">{ text.clone() }</p>
            }
        </>
    };
    let editor = |read_only: bool| {
        html! {
            <EditorPanel yaml={state.yaml.clone()} yaml_revision={state.yaml_revision}
                problems={state.problems.clone()} on_edit={on_edit.clone()} {read_only}
                on_apply={on_apply.clone()} on_reset={on_reset.clone()} />
        }
    };
    // An embedded lab shows a pod's details without a click: the selected pod, else the first; the
    // worker chose which.
    let detail = |show_timeline: bool, show_describe: bool| match state.detail.clone() {
        Some(detail) => html! {
            <PodDetail {detail}
                on_select_container={on_select_container.clone()} on_run={on_run.clone()} on_open_shell={on_open_shell.clone()}
                {show_timeline} {show_describe} />
        },
        None => html! {
            <section class="panel detail placeholder" aria-label="Selected pod">
                <h2>{"Pick a pod"}</h2>
                <p class="muted">{"Select a pod in the Pods table to see why it is in its state, its probe timeline, its files, and buttons that break it."}</p>
            </section>
        },
    };
    let pods = html! { <PodsTable rows={state.rows.clone()} selected={state.selected_pod.clone()} highlighted={highlighted.clone()} on_select={on_select.clone()} /> };
    let live = state.playing;
    let endpoints = html! { <EndpointsTable endpoints={(*state.endpoints).clone()} changes={address_changes.clone()} {live} /> };
    let workloads = html! { <WorkloadsTable groups={state.workloads.clone()} on_run={on_run.clone()} /> };
    let events = html! { <EventsTable events={state.events.clone()} {live} /> };
    let terminal = html! {
        <Terminal entries={state.terminal.clone()} shell={state.shell.clone()} on_run={on_run.clone()}
            on_close_shell={on_close_shell.clone()} on_clear={on_clear_terminal.clone()} />
    };

    if embed {
        // The panels the course page asked for, in its order; the timeline and `describe` share the
        // pod's detail panel, shown once where the first of them was named.
        let order: Vec<Panel> = options.panels.clone().unwrap_or_else(|| Panel::ALL.to_vec());
        let mut detail_shown = false;
        let panels = order
            .iter()
            .map(|panel| match panel {
                Panel::Pods => pods.clone(),
                Panel::Endpoints => endpoints.clone(),
                Panel::Events => events.clone(),
                Panel::Workloads => workloads.clone(),
                Panel::Terminal => terminal.clone(),
                Panel::Timeline | Panel::Describe if !detail_shown => {
                    detail_shown = true;
                    detail(options.shows(Panel::Timeline), options.shows(Panel::Describe))
                }
                Panel::Timeline | Panel::Describe => html! {},
            })
            .collect::<Html>();
        return html! {
            <div class={classes!("app", "embed", playing)} data-synced={state.synced().to_string()}>
                { flash_rules }
                { header }
                { banners }
                <main class="embed-layout">
                    if options.editor != EditorMode::Hidden {
                        { editor(options.editor == EditorMode::ReadOnly) }
                    }
                    { panels }
                </main>
            </div>
        };
    }

    html! {
        <div class={classes!("app", playing)} data-synced={state.synced().to_string()}>
            { flash_rules }
            { header }
            { banners }
            <main class="layout">
                <div class="column side">
                    <Gallery entries={crate::gallery::all()} {current} {on_load} />
                    { editor(false) }
                </div>
                <div class="column tables">
                    { pods }
                    { endpoints }
                    { workloads }
                    { events }
                </div>
                <div class="column inspect">
                    { detail(true, true) }
                </div>
                <div class="column console">
                    { terminal }
                </div>
            </main>
        </div>
    }
}

/// Every callback the panels get, made once for the App's lifetime.
#[derive(Clone)]
struct Handlers {
    on_play: Callback<()>,
    on_pause: Callback<()>,
    on_step: Callback<()>,
    on_next_event: Callback<()>,
    on_speed: Callback<u32>,
    on_seek: Callback<Millis>,
    on_stop_seek: Callback<()>,
    on_edit: Callback<String>,
    on_apply: Callback<()>,
    on_reset: Callback<()>,
    on_run: Callback<String>,
    on_load: Callback<&'static str>,
    on_select: Callback<(String, String)>,
    on_select_container: Callback<String>,
    on_open_shell: Callback<Option<ContainerRef>>,
    on_close_shell: Callback<()>,
    on_clear_terminal: Callback<()>,
    on_keep: Callback<()>,
    on_replace: Callback<()>,
    on_dismiss: Callback<()>,
    on_share: Callback<()>,
    on_embed: Callback<()>,
    on_close_popover: Callback<()>,
    on_download: Callback<()>,
    on_restart: Callback<()>,
    on_stop_simulation: Callback<()>,
}

impl Handlers {
    fn new(
        d: UseReducerDispatcher<State>,
        latest: Rc<RefCell<Option<UseReducerHandle<State>>>>,
        popover: UseStateSetter<Option<Popover>>,
    ) -> Handlers {
        let send = |make: fn() -> Action| {
            let d = d.clone();
            Callback::from(move |_: ()| d.dispatch(make()))
        };
        fn with<T: 'static>(d: &UseReducerDispatcher<State>, make: fn(T) -> Action) -> Callback<T> {
            let d = d.clone();
            Callback::from(move |value| d.dispatch(make(value)))
        }
        let on_load = {
            let d = d.clone();
            Callback::from(move |y: &'static str| {
                let label = crate::gallery::all().iter().find(|e| e.yaml == y).map_or_else(
                    || "the scenario".to_string(),
                    |e| format!("the scenario \u{201c}{}\u{201d}", e.title),
                );
                // A link in the address would otherwise win over the picked scenario on the next reload.
                page::set_hash("");
                d.dispatch(Action::Pick { label, yaml: y.to_string() })
            })
        };
        let on_keep = {
            let d = d.clone();
            Callback::from(move |_| {
                // The link was declined; a reload should not offer it again.
                page::set_hash("");
                d.dispatch(Action::KeepWork)
            })
        };
        let on_share = {
            let (latest, popover, d) = (latest.clone(), popover.clone(), d.clone());
            Callback::from(move |_| {
                let Some(shared) = latest.borrow().as_ref().map(|s| s.shared()) else { return };
                let url = page::set_hash(&crate::share::encode(&shared));
                page::copy_to_clipboard(&url);
                d.dispatch(Action::Shared);
                popover.set(Some(Popover::Share { url }));
            })
        };
        let on_download = {
            let latest = latest.clone();
            Callback::from(move |_| {
                if let Some(state) = latest.borrow().as_ref() {
                    page::download("probe-playground.yaml", &state.yaml);
                }
            })
        };
        let on_embed = {
            let (latest, popover) = (latest, popover.clone());
            Callback::from(move |_| {
                let Some(state) = latest.borrow().clone() else { return };
                let slug =
                    crate::gallery::all().iter().find(|e| e.yaml == state.yaml).map(|e| e.slug.to_string());
                let fragment = crate::share::encode(&state.shared());
                popover.set(Some(Popover::Embed { fragment, slug }));
            })
        };
        Handlers {
            on_play: send(|| Action::Play),
            on_pause: send(|| Action::Pause),
            on_step: send(|| Action::Step),
            on_next_event: send(|| Action::NextEvent),
            on_speed: with(&d, Action::SetSpeed),
            on_seek: with(&d, Action::Seek),
            on_stop_seek: send(|| Action::StopSeek),
            on_edit: with(&d, Action::Edit),
            on_apply: send(|| Action::Apply),
            on_reset: send(|| Action::Reset),
            on_run: with(&d, Action::Run),
            on_load,
            on_select: with(&d, |(namespace, name)| Action::SelectPod(namespace, name)),
            on_select_container: with(&d, Action::SelectContainer),
            on_open_shell: with(&d, Action::OpenShell),
            on_close_shell: send(|| Action::OpenShell(None)),
            on_clear_terminal: send(|| Action::ClearTerminal),
            on_keep,
            on_replace: send(|| Action::Replace),
            on_dismiss: send(|| Action::DismissLinkError),
            on_share,
            on_embed,
            on_close_popover: Callback::from(move |_| popover.set(None)),
            on_download,
            on_restart: send(|| Action::RestartSimulation),
            on_stop_simulation: send(|| Action::StopSimulation),
        }
    }
}
