//! Paginators and waiters of the generated `jobs` crate (`tests/model/jobs.smithy`) over
//! real HTTP on 127.0.0.1: its generated client against its generated server, the server
//! paging through jobs and answering `GetJob` from a script that changes with each call.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jobs::operation::get_job::{GetJobError, GetJobInput, GetJobOutput};
use jobs::operation::list_job_runs::{ListJobRunsError, ListJobRunsInput, ListJobRunsOutput};
use jobs::operation::list_jobs::{ListJobsError, ListJobsInput, ListJobsOutput};
use jobs::server::RequestContext;
use jobs::types::error::JobNotFound;
use jobs::types::{Job, JobState, RunPage, Step};
use smithy_runtime::client::wait::WaiterError;

/// What `GetJob` answers next: the job's step states, or not found.
type Answer = Option<Vec<JobState>>;

/// The server's state, shared by the router and the test.
#[derive(Default)]
struct State {
    /// `ListJobs` pages through these ids; a token is the index of the next.
    jobs: Vec<String>,
    /// When set, every page returns this token (a service that repeats itself).
    stuck_token: Option<String>,
    /// What each `ListJobs` request carried: (nextToken, maxResults).
    list_requests: Mutex<Vec<(Option<String>, Option<i32>)>>,
    /// `GetJob`'s answers, one a call; the last repeats.
    answers: Mutex<VecDeque<Answer>>,
    get_calls: Mutex<u32>,
}

fn job(id: &str, steps: &[JobState]) -> Job {
    let steps = steps
        .iter()
        .enumerate()
        .map(|(i, state)| {
            Step::builder()
                .name(format!("step-{i}"))
                .state(state.clone())
                .build()
                .unwrap()
        })
        .collect::<Vec<_>>();
    Job::builder().job_id(id).steps(steps).build().unwrap()
}

/// The service: cheap to clone, every clone on the same state.
#[derive(Clone, Default)]
struct Service(Arc<State>);

impl std::ops::Deref for Service {
    type Target = State;

    fn deref(&self) -> &State {
        &self.0
    }
}

impl jobs::server::Jobs for Service {
    fn list_jobs(
        &self,
        input: ListJobsInput,
        _: RequestContext,
    ) -> impl Future<Output = Result<ListJobsOutput, ListJobsError>> + Send {
        self.list_requests
            .lock()
            .unwrap()
            .push((input.next_token.clone(), input.max_results));
        // A stuck service's token is not a position: every page starts at 0.
        let start: usize = input
            .next_token
            .as_deref()
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        let size = input.max_results.unwrap_or(100) as usize;
        let end = (start + size).min(self.jobs.len());
        let page: Vec<Job> = self.jobs[start..end]
            .iter()
            .map(|id| job(id, &[]))
            .collect();
        let mut output = ListJobsOutput::builder().jobs(page);
        if let Some(token) = &self.stuck_token {
            output = output.next_token(token.clone());
        } else if end < self.jobs.len() {
            output = output.next_token(end.to_string());
        } else {
            // The last page says so with an empty token, as some services do.
            output = output.next_token("");
        }
        std::future::ready(Ok(output.build()))
    }

    fn get_job(
        &self,
        input: GetJobInput,
        _: RequestContext,
    ) -> impl Future<Output = Result<GetJobOutput, GetJobError>> + Send {
        *self.get_calls.lock().unwrap() += 1;
        let mut answers = self.answers.lock().unwrap();
        let answer = if answers.len() > 1 {
            answers.pop_front().unwrap()
        } else {
            answers.front().cloned().unwrap_or(None)
        };
        let result = match answer {
            None => Err(GetJobError::JobNotFound(
                JobNotFound::builder().message("no such job").build(),
            )),
            Some(steps) => Ok(GetJobOutput::builder()
                .job(job(&input.job_id, &steps))
                .build()
                .unwrap()),
        };
        std::future::ready(result)
    }

    fn list_job_runs(
        &self,
        input: ListJobRunsInput,
        _: RequestContext,
    ) -> impl Future<Output = Result<ListJobRunsOutput, ListJobRunsError>> + Send {
        // Runs 0..7, `limit` a page; the token nests in `page.next`.
        let start: i32 = input.after.as_deref().map_or(0, |t| t.parse().unwrap());
        let end = (start + input.limit.unwrap_or(3) as i32).min(7);
        let mut page = RunPage::builder().runs((start..end).collect::<Vec<_>>());
        if end < 7 {
            page = page.next(end.to_string());
        }
        std::future::ready(Ok(ListJobRunsOutput::builder().page(page.build()).build()))
    }
}

/// Sleeps no time, recording each wait asked for.
#[derive(Clone, Debug, Default)]
struct RecordedSleep(Arc<Mutex<Vec<Duration>>>);

impl smithy_runtime::client::AsyncSleep for RecordedSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.0.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}

struct Running {
    client: jobs::Client,
    service: Service,
    sleeps: RecordedSleep,
}

async fn start(state: State) -> Running {
    let service = Service(Arc::new(state));
    let router = jobs::server::router(service.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { smithy_runtime::server::axum::serve(listener, router).await });
    let sleeps = RecordedSleep::default();
    let config = jobs::Config::builder()
        .region("us-east-1")
        .endpoint_url(format!("http://{address}"))
        .credentials_provider(jobs::client::Credentials::new("AKID", "SECRET", None, None))
        .sleep_impl(sleeps.clone())
        .build();
    Running {
        client: jobs::Client::from_conf(config),
        service,
        sleeps,
    }
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("job-{i:02}")).collect()
}

#[tokio::test]
async fn pages_follow_the_token_with_the_page_size() {
    let running = start(State {
        jobs: ids(25),
        ..State::default()
    })
    .await;
    let pages: Vec<_> = running
        .client
        .list_jobs()
        .into_paginator()
        .page_size(10)
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.jobs().len()).collect();
    assert_eq!(sizes, [10, 10, 5]);
    assert_eq!(
        *running.service.list_requests.lock().unwrap(),
        [
            (None, Some(10)),
            (Some("10".to_string()), Some(10)),
            (Some("20".to_string()), Some(10))
        ]
    );

    // The items of every page, in order, as a `futures::Stream`.
    let mut items = running
        .client
        .list_jobs()
        .into_paginator()
        .page_size(7)
        .items()
        .send();
    let mut seen = Vec::new();
    while let Some(job) = std::future::poll_fn(|cx| {
        futures_core::Stream::poll_next(std::pin::Pin::new(&mut items), cx)
    })
    .await
    {
        seen.push(job.unwrap().job_id().to_string());
    }
    assert_eq!(seen, ids(25));
}

#[tokio::test]
async fn a_repeated_token_ends_the_pages() {
    let running = start(State {
        jobs: ids(3),
        stuck_token: Some("again".into()),
        ..State::default()
    })
    .await;
    let pages: Vec<_> = running
        .client
        .list_jobs()
        .into_paginator()
        .send()
        .collect()
        .await;
    // The first page's token is sent once; the page that returns it again is the last.
    assert_eq!(pages.len(), 2);
    assert_eq!(running.service.list_requests.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn nested_tokens_and_items_and_a_long_page_size() {
    let running = start(State::default()).await;
    let runs: Vec<i32> = running
        .client
        .list_job_runs()
        .job_id("job-1")
        .into_paginator()
        .page_size(3i64)
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(runs, [0, 1, 2, 3, 4, 5, 6]);
}

fn script(answers: Vec<Answer>) -> Mutex<VecDeque<Answer>> {
    Mutex::new(answers.into())
}

#[tokio::test]
async fn a_waiter_retries_until_its_success_acceptor_matches() {
    use JobState::*;
    let running = start(State {
        answers: script(vec![
            None,
            None,
            Some(vec![Succeeded, Running]),
            Some(vec![Succeeded, Succeeded]),
        ]),
        ..State::default()
    })
    .await;
    let done = running
        .client
        .wait_until_job_finished()
        .job_id("job-7")
        .wait(Duration::from_secs(300))
        .await
        .unwrap();
    let output = done.into_result().unwrap();
    assert_eq!(output.job().job_id(), "job-7");
    assert_eq!(*running.service.get_calls.lock().unwrap(), 4);
    // Three waits, each between minDelay (2 s) and the doubling ceiling (2, 4, 8 s).
    let sleeps = running.sleeps.0.lock().unwrap().clone();
    assert_eq!(sleeps.len(), 3);
    for (i, (slept, ceiling)) in sleeps.iter().zip([2, 4, 8]).enumerate() {
        assert!(
            *slept >= Duration::from_secs(2) && *slept <= Duration::from_secs(ceiling),
            "wait {i}: {slept:?}"
        );
    }
}

#[tokio::test]
async fn a_failure_acceptor_ends_the_wait_and_says_which() {
    use JobState::*;
    let running = start(State {
        answers: script(vec![Some(vec![Running]), Some(vec![Succeeded, Failed])]),
        ..State::default()
    })
    .await;
    let error = running
        .client
        .wait_until_job_finished()
        .job_id("job-7")
        .wait(Duration::from_secs(300))
        .await
        .unwrap_err();
    match &error {
        WaiterError::FailureState {
            acceptor,
            final_poll,
            ..
        } => {
            assert_eq!(*acceptor, 1);
            assert!(final_poll.as_result().is_ok());
        }
        other => panic!("expected the failure acceptor, got {other:?}"),
    }
    assert!(error.to_string().contains("anyStringEquals"), "{error}");
}

#[tokio::test]
async fn a_waiter_runs_out_of_time() {
    let running = start(State {
        answers: script(vec![Some(vec![JobState::Running])]),
        ..State::default()
    })
    .await;
    let error = running
        .client
        .wait_until_job_finished()
        .job_id("job-7")
        .wait(Duration::from_secs(30))
        .await
        .unwrap_err();
    let WaiterError::ExceededMaxWait { polls, .. } = error else {
        panic!("expected the time to run out, got {error:?}");
    };
    // Waits of 2 s or more within 30 s, the last leaving minDelay: a handful of calls.
    let slept: Duration = running.sleeps.0.lock().unwrap().iter().sum();
    assert!(slept <= Duration::from_secs(28), "{slept:?}");
    assert!((3..=14).contains(&polls), "{polls} polls");
}

#[tokio::test]
async fn error_type_and_input_output_acceptors() {
    use JobState::*;
    // JobGone: success on the error, retry while the call succeeds.
    let running = start(State {
        answers: script(vec![Some(vec![Running]), Some(vec![Running]), None]),
        ..State::default()
    })
    .await;
    let gone = running
        .client
        .wait_until_job_gone()
        .job_id("job-7")
        .wait(Duration::from_secs(60))
        .await
        .unwrap();
    let error = gone.into_result().unwrap_err();
    assert_eq!(error.code(), Some("JobNotFound"));
    assert_eq!(*running.service.get_calls.lock().unwrap(), 3);

    // JobExists: the output's job id is the input's.
    let running = start(State {
        answers: script(vec![None, Some(vec![Pending])]),
        ..State::default()
    })
    .await;
    let exists = running
        .client
        .wait_until_job_exists()
        .job_id("job-9")
        .wait(Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(exists.into_result().unwrap().job().job_id(), "job-9");
}

#[tokio::test]
async fn an_error_no_acceptor_matches_ends_the_wait() {
    let running = start(State::default()).await;
    // No job id: the input does not build, and no acceptor matches that error.
    let error = running
        .client
        .wait_until_job_finished()
        .wait(Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(
        matches!(error, WaiterError::OperationFailed(_)),
        "{error:?}"
    );
}
