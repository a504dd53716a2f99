$version: "2"

// A small service for the integration tests of what the generated clients add on top of
// single calls: paginators (`ListJobs`) and waiters (`GetJob`). Not an AWS service: the
// tests serve it with the generated server trait, answering as each test needs.
namespace example.jobs

use aws.auth#sigv4
use aws.protocols#restJson1
use smithy.waiters#waitable

@restJson1
@sigv4(name: "jobs")
@paginated(inputToken: "nextToken", outputToken: "nextToken", pageSize: "maxResults")
service Jobs {
    version: "2026-11-30"
    operations: [ListJobs, GetJob, ListJobRuns]
}

/// Lists the jobs, a page at a time.
@readonly
@http(method: "GET", uri: "/jobs")
@paginated(items: "jobs")
operation ListJobs {
    input := {
        @httpQuery("nextToken")
        nextToken: String

        @httpQuery("maxResults")
        @range(min: 1, max: 100)
        maxResults: Integer

        /// Only the jobs in this state.
        @httpQuery("state")
        state: JobState
    }
    output := {
        jobs: JobList
        nextToken: String
    }
}

/// Lists a job's runs; the page token is nested in the output's `page` member.
@readonly
@http(method: "GET", uri: "/jobs/{jobId}/runs")
@paginated(inputToken: "after", outputToken: "page.next", items: "page.runs", pageSize: "limit")
operation ListJobRuns {
    input := {
        @required
        @httpLabel
        jobId: String

        @httpQuery("after")
        after: String

        @httpQuery("limit")
        limit: Long
    }
    output := {
        page: RunPage
    }
}

structure RunPage {
    runs: RunList
    next: String
}

list RunList {
    member: Integer
}

/// Describes one job.
@readonly
@http(method: "GET", uri: "/jobs/{jobId}")
@waitable(
    JobFinished: {
        documentation: "Waits until every step of the job has succeeded."
        acceptors: [
            {
                state: "success"
                matcher: {
                    output: { path: "job.steps[].state", expected: "SUCCEEDED", comparator: "allStringEquals" }
                }
            }
            {
                state: "failure"
                matcher: {
                    output: { path: "job.steps[].state", expected: "FAILED", comparator: "anyStringEquals" }
                }
            }
            {
                state: "retry"
                matcher: { errorType: "JobNotFound" }
            }
        ]
        minDelay: 2
        maxDelay: 10
    }
    JobExists: {
        acceptors: [
            {
                state: "success"
                matcher: {
                    inputOutput: { path: "input.jobId == output.job.jobId", expected: "true", comparator: "booleanEquals" }
                }
            }
            {
                state: "retry"
                matcher: { errorType: "JobNotFound" }
            }
        ]
    }
    JobGone: {
        acceptors: [
            { state: "success", matcher: { errorType: "JobNotFound" } }
            { state: "retry", matcher: { success: true } }
        ]
        minDelay: 1
        maxDelay: 1
    }
)
operation GetJob {
    input := {
        @required
        @httpLabel
        jobId: String
    }
    output := {
        @required
        job: Job
    }
    errors: [JobNotFound]
}

structure Job {
    @required
    jobId: String

    state: JobState

    steps: StepList
}

list JobList {
    member: Job
}

list StepList {
    member: Step
}

structure Step {
    @required
    name: String

    @required
    state: JobState
}

enum JobState {
    PENDING
    RUNNING
    SUCCEEDED
    FAILED
}

/// No job has that id.
@error("client")
@httpError(404)
structure JobNotFound {
    message: String
}
