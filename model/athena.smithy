$version: "2"
$operationInputSuffix: "Request"
$operationOutputSuffix: "Response"

namespace com.amazonaws.athena

use aws.api#service
use aws.auth#sigv4
use aws.protocols#awsJson1_1

/// Serverless SQL and Spark analytics over data kept in Amazon S3. This model covers only the call that reads back a notebook session.
@service(
    sdkId: "Athena"
    arnNamespace: "athena"
    cloudFormationName: "Athena"
    endpointPrefix: "athena"
)
@sigv4(name: "athena")
@awsJson1_1
@title("Amazon Athena")
service AmazonAthena {
    version: "2017-05-18"
    operations: [GetSession]
}

/// Looks up one existing Spark session by its identifier and returns what Athena knows about it: current state, timing, engine settings and compute usage.
operation GetSession {
    input := {
        /// Identifier of the session to look up.
        @required
        SessionId: SessionId
    }

    output := {
        /// Identifier of the session that was looked up.
        SessionId: SessionId

        /// Free-form text attached to the session when it was started.
        Description: DescriptionString

        /// Workgroup the session runs in; it has to be Spark-enabled.
        WorkGroup: WorkGroupName

        /// Spark engine release the session runs on, such as a PySpark version label.
        EngineVersion: NameString

        /// Compute sizing and extra engine settings for the session.
        EngineConfiguration: EngineConfiguration

        /// Version of the notebook attached to the session.
        NotebookVersion: NameString

        /// Where the session ships its logs, if anywhere.
        MonitoringConfiguration: MonitoringConfiguration

        /// Workgroup-derived settings the session was launched with.
        SessionConfiguration: SessionConfiguration

        /// Lifecycle state of the session together with its key timestamps.
        Status: SessionStatus

        /// Compute consumption recorded for the session so far.
        Statistics: SessionStatistics
    }

    errors: [
        InternalServerException
        InvalidRequestException
        ResourceNotFoundException
    ]
}

/// An ARN or resource name.
@length(min: 1, max: 1011)
string AmazonResourceName

/// An optional true/false flag.
boolean BoxedBoolean

/// A labelled set of engine settings.
structure Classification {
    /// Label of the configuration group.
    Name: NameString

    /// Settings that belong to the group.
    Properties: ParametersMap
}

/// Configuration groups for the engine.
list ClassificationList {
    member: Classification
}

/// CloudWatch Logs delivery settings.
structure CloudWatchLoggingConfiguration {
    /// Whether CloudWatch logging is switched on.
    @required
    Enabled: BoxedBoolean

    /// Target CloudWatch log group.
    LogGroup: LogGroupName

    /// Prefix put in front of each log stream name.
    LogStreamNamePrefix: LogStreamNamePrefix

    /// Which kinds of logs to send, grouped by component.
    LogTypes: LogTypesMap
}

/// Coordinator size in DPUs.
@range(min: 1, max: 1)
integer CoordinatorDpuSize

/// A point in time.
timestamp Date

/// Executor size in DPUs.
@range(min: 1, max: 1)
integer DefaultExecutorDpuSize

/// Free-form descriptive text.
@length(min: 1, max: 1024)
string DescriptionString

/// Encryption scheme and key for results stored in S3.
structure EncryptionConfiguration {
    /// Which encryption scheme protects the stored results.
    @required
    EncryptionOption: EncryptionOption

    /// Identifier or ARN of the KMS key; applies when a KMS-based option is chosen.
    KmsKey: String
}

/// Ways query and calculation results can be encrypted in S3.
enum EncryptionOption {
    /// Server-side encryption using keys managed by S3.
    SSE_S3 = "SSE_S3"

    /// Server-side encryption using a KMS key.
    SSE_KMS = "SSE_KMS"

    /// Client-side encryption using a KMS key.
    CSE_KMS = "CSE_KMS"
}

/// Sizing in DPUs and extra settings for the Spark engine behind a session.
structure EngineConfiguration {
    /// DPUs given to the coordinator, which schedules work across the executors. Defaults to 1.
    CoordinatorDpuSize: CoordinatorDpuSize

    /// Upper bound on DPUs the session may hold at one time.
    @addedDefault
    MaxConcurrentDpus: MaxConcurrentDpus = 20

    /// DPUs given to each executor unless stated otherwise. Defaults to 1.
    DefaultExecutorDpuSize: DefaultExecutorDpuSize

    /// Extra key/value settings for the notebook engine; for instance a NotebookId entry names an Athena notebook for the Jupyter server to load.
    AdditionalConfigs: ParametersMap

    /// Spark properties and custom jars, used for tuning, table formats or encryption.
    SparkProperties: ParametersMap

    /// Named groups of configuration properties applied to the engine.
    Classifications: ClassificationList
}

/// Machine-readable failure code.
@length(min: 1, max: 256)
string ErrorCode

/// Human-readable failure text.
string ErrorMessage

/// Athena hit a problem on its side while handling the call.
@error("server")
structure InternalServerException {
    Message: ErrorMessage
}

/// The call was rejected, e.g. a parameter was absent or held an unusable value.
@error("client")
structure InvalidRequestException {
    /// Athena-specific code that classifies the failure.
    AthenaErrorCode: ErrorCode

    Message: ErrorMessage
}

/// Name of a setting.
@length(min: 1, max: 255)
@pattern("^[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*$")
string KeyString

/// ARN, alias or key ID of a KMS key.
@length(min: 1, max: 2048)
@pattern("^arn:aws[a-z\\-]*:kms:([a-z0-9\\-]+):\\d{12}:key/?[a-zA-Z_0-9+=,.@\\-_/]+$|^arn:aws[a-z\\-]*:kms:([a-z0-9\\-]+):\\d{12}:alias/?[a-zA-Z_0-9+=,.@\\-_/]+$|^alias/[a-zA-Z0-9/_-]+$|[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$")
string KmsKey

/// A CloudWatch log group name.
@length(min: 1, max: 512)
@pattern("^[a-zA-Z0-9._/-]+$")
string LogGroupName

/// Leading text for log stream names.
@length(min: 1, max: 512)
@pattern("^[^:*]*$")
string LogStreamNamePrefix

/// A component that emits logs.
string LogTypeKey

/// One kind of log.
string LogTypeValue

/// Log kinds for one component.
list LogTypeValuesList {
    member: LogTypeValue
}

/// Log kinds to deliver, keyed by component.
map LogTypesMap {
    key: LogTypeKey
    value: LogTypeValuesList
}

/// A 64-bit whole number.
long Long

/// Settings for logs stored and managed by Athena.
structure ManagedLoggingConfiguration {
    /// Whether Athena-managed logging is switched on.
    @required
    Enabled: BoxedBoolean

    /// KMS key used to encrypt the managed logs.
    KmsKey: KmsKey
}

/// Cap on DPUs held simultaneously.
@range(min: 2, max: 5000)
integer MaxConcurrentDpus

/// Log destinations used by a Spark session.
structure MonitoringConfiguration {
    /// Settings for sending logs to CloudWatch Logs.
    CloudWatchLoggingConfiguration: CloudWatchLoggingConfiguration

    /// Settings for logs kept by Athena itself.
    ManagedLoggingConfiguration: ManagedLoggingConfiguration

    /// Settings for writing logs to an S3 bucket.
    S3LoggingConfiguration: S3LoggingConfiguration
}

/// A short name or label.
@length(min: 1, max: 128)
string NameString

/// String settings keyed by name.
map ParametersMap {
    key: KeyString
    value: ParametersMapValue
}

/// Value of a setting.
@length(min: 0, max: 51200)
string ParametersMapValue

/// Nothing matches the given identifier.
@error("client")
structure ResourceNotFoundException {
    Message: ErrorMessage

    /// Name of the resource that could not be located.
    ResourceName: AmazonResourceName
}

/// An S3 location for output.
string ResultOutputLocation

/// ARN of an IAM role.
@length(min: 20, max: 2048)
@pattern("^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$")
string RoleArn

/// Settings for log delivery into Amazon S3.
structure S3LoggingConfiguration {
    /// Whether logs are written to S3.
    @required
    Enabled: BoxedBoolean

    /// KMS key used to encrypt the log objects.
    KmsKey: KmsKey

    /// S3 URI under which log objects are written.
    LogLocation: S3OutputLocation
}

/// An s3:// URI.
@length(min: 0, max: 1024)
@pattern("^s3://[a-z0-9][a-z0-9\\-]*[a-z0-9](/.*)?$")
string S3OutputLocation

/// Settings taken from the workgroup when the session was created.
structure SessionConfiguration {
    /// IAM role the Spark session assumes to reach customer resources; only meaningful for Spark-enabled workgroups.
    ExecutionRole: RoleArn

    /// S3 prefix where notebook data for the session lives.
    WorkingDirectory: ResultOutputLocation

    /// Seconds of inactivity after which the session ends.
    IdleTimeoutSeconds: Long

    /// Minutes of inactivity after which the session ends.
    SessionIdleTimeoutInMinutes: SessionIdleTimeoutInMinutes

    /// How results and calculation output written to S3 are encrypted.
    EncryptionConfiguration: EncryptionConfiguration
}

/// Identifier of a session.
@length(min: 1, max: 256)
string SessionId

/// Idle limit in minutes.
@range(min: 1, max: 480)
integer SessionIdleTimeoutInMinutes

/// Lifecycle states a session can be in.
enum SessionState {
    /// Resources are being acquired and the session is starting up.
    CREATING = "CREATING"

    /// Startup has finished.
    CREATED = "CREATED"

    /// Ready to take a new calculation.
    IDLE = "IDLE"

    /// Occupied with other work; new calculations are not accepted.
    BUSY = "BUSY"

    /// Shutdown is under way.
    TERMINATING = "TERMINATING"

    /// Stopped; its resources have been released.
    TERMINATED = "TERMINATED"

    /// No coordinator is healthy.
    DEGRADED = "DEGRADED"

    /// Stopped because something went wrong.
    FAILED = "FAILED"
}

/// Compute usage of a session.
structure SessionStatistics {
    /// DPU time consumed by the session, in milliseconds.
    DpuExecutionInMillis: Long
}

/// Lifecycle state of a session plus its timestamps.
structure SessionStatus {
    /// When the session began.
    StartDateTime: Date

    /// When the session last changed.
    LastModifiedDateTime: Date

    /// When the session finished, if it has.
    EndDateTime: Date

    /// Moment the session went idle; absent while it is working.
    IdleSinceDateTime: Date

    /// Where the session is in its lifecycle.
    State: SessionState

    /// Why the session moved to its current state, e.g. it was cancelled on termination.
    StateChangeReason: DescriptionString
}

/// Plain text.
string String

/// Name of a workgroup.
@pattern("^[a-zA-Z0-9._-]{1,128}$")
string WorkGroupName
