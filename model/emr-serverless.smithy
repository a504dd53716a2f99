$version: "2"
$operationInputSuffix: "Request"
$operationOutputSuffix: "Response"

namespace com.amazonaws.emrserverless

use aws.api#arnReference
use aws.api#service
use aws.auth#sigv4
use aws.protocols#restJson1

/// Runs Spark and Hive workloads without clusters to manage. This model covers only opening an interactive session on an application.
@service(
    sdkId: "EMR Serverless"
    arnNamespace: "emr-serverless"
    cloudFormationName: "EMRServerless"
    endpointPrefix: "emr-serverless"
)
@sigv4(name: "emr-serverless")
@restJson1
@title("EMR Serverless")
service AwsToledoWebService {
    version: "2021-07-13"
    resources: [ApplicationResource]
}

/// An EMR Serverless application; here it only serves as the parent of sessions.
resource ApplicationResource {
    identifiers: { applicationId: ApplicationId }
    resources: [SessionResource]
}

/// An interactive session that belongs to one application.
resource SessionResource {
    identifiers: { applicationId: ApplicationId, sessionId: SessionId }
    create: StartSession
}

/// Opens an interactive session on an application. The application has to be running (or able to auto-start) with interactive sessions switched on; requires release 7.13.0 or newer.
@http(method: "POST", uri: "/applications/{applicationId}/sessions")
@idempotent
operation StartSession {
    input := {
        /// Application that will host the session.
        @httpLabel
        @required
        @resourceIdentifier("applicationId")
        applicationId: ApplicationId

        /// Caller-chosen token; repeating a call with the same token returns the first result instead of opening a second session.
        @idempotencyToken
        @required
        clientToken: ClientToken

        /// IAM role the session assumes when it touches other AWS resources.
        @required
        executionRoleArn: IAMRoleArn

        /// Per-session overrides; only runtime settings can be overridden.
        configurationOverrides: SessionConfigurationOverrides

        /// Tags to put on the new session.
        tags: TagMap

        /// Minutes without activity after which the service shuts the session down.
        idleTimeoutMinutes: Duration = null

        /// Optional display name for the session.
        name: String256
    }

    output := {
        /// Application hosting the new session.
        @required
        @resourceIdentifier("applicationId")
        applicationId: ApplicationId

        /// Identifier assigned to the new session.
        @required
        @resourceIdentifier("sessionId")
        sessionId: SessionId

        /// ARN of the new session.
        @required
        arn: SessionArn
    }

    errors: [
        ConflictException
        InternalServerException
        ResourceNotFoundException
        ServiceQuotaExceededException
        ValidationException
    ]
}

/// Identifier of an application.
@length(min: 1, max: 64)
@pattern("^[0-9a-z]+$")
string ApplicationId

/// Token that makes a request safe to retry.
@length(min: 1, max: 64)
@pattern("^[A-Za-z0-9._-]+$")
string ClientToken

/// One classification with its properties and any nested classifications.
structure Configuration {
    /// Which configuration file or component the block targets.
    @required
    classification: String1024

    /// Key/value settings for that classification.
    properties: SensitivePropertiesMap

    /// Nested classification blocks.
    configurations: ConfigurationList
}

/// A list of classification blocks.
@length(min: 0, max: 100)
list ConfigurationList {
    member: Configuration
}

/// Name of a configuration property.
@length(min: 1, max: 1024)
@pattern("^.*\\S.*$")
string ConfigurationPropertyKey

/// Value of a configuration property.
@length(min: 0, max: 1024)
@pattern("^.*\\S.*$")
string ConfigurationPropertyValue

/// The resource is in a state that does not allow this change right now.
@error("client")
@httpError(409)
structure ConflictException {
    /// Explanation of the failure.
    @required
    message: String1024
}

/// A length of time in minutes.
@default(0)
@range(min: 0, max: 1000000)
long Duration

/// ARN of an IAM role.
@arnReference(type: "AWS::IAM::Role")
@length(min: 20, max: 2048)
@pattern("^arn:(aws[a-zA-Z0-9-]*):iam::([0-9]{12}):(role((\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F))[\\w+=,.@-]+)$")
string IAMRoleArn

/// Something failed inside the service while the call was handled.
@error("server")
@httpError(500)
structure InternalServerException {
    /// Explanation of the failure.
    @required
    message: String1024
}

/// No resource matches the given identifier.
@error("client")
@httpError(404)
structure ResourceNotFoundException {
    /// Explanation of the failure.
    @required
    message: String1024
}

/// Configuration properties; values may hold secrets.
@length(min: 0, max: 100)
@sensitive
map SensitivePropertiesMap {
    key: ConfigurationPropertyKey
    value: ConfigurationPropertyValue
}

/// The account already holds as many of these resources as it may.
@error("client")
@httpError(402)
structure ServiceQuotaExceededException {
    /// Explanation of the failure.
    @required
    message: String1024
}

/// ARN of a session.
@length(min: 60, max: 1024)
@pattern("^arn:(aws[a-zA-Z0-9-]*):emr-serverless:.+:(\\d{12}):\\/applications\\/[0-9a-zA-Z]+\\/sessions\\/[0-9a-zA-Z]+$")
string SessionArn

/// Settings that replace the application defaults for one session.
structure SessionConfigurationOverrides {
    /// Runtime classification settings to apply.
    runtimeConfiguration: ConfigurationList
}

/// Identifier of a session.
@length(min: 1, max: 64)
@pattern("^[0-9a-z]+$")
string SessionId

/// Non-blank text of at most 1024 characters.
@length(min: 1, max: 1024)
@pattern(".*\\S.*")
string String1024

/// Non-blank text of at most 256 characters.
@length(min: 1, max: 256)
@pattern(".*\\S.*")
string String256

/// Key of a tag.
@length(min: 1, max: 128)
@pattern("^[A-Za-z0-9 /_.:=+@-]+$")
string TagKey

/// Tags as key/value pairs.
@length(min: 0, max: 200)
map TagMap {
    key: TagKey
    value: TagValue
}

/// Value of a tag.
@length(min: 0, max: 256)
@pattern("^[A-Za-z0-9 /_.:=+@-]*$")
string TagValue

/// One or more inputs break the documented limits.
@error("client")
@httpError(400)
structure ValidationException {
    /// Explanation of the failure.
    @required
    message: String1024
}
