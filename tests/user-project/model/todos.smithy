$version: "2"

// A to-do list service of our own: not an AWS service (no `aws.api#service`, no SigV4,
// no endpoint rules), restJson1 over HTTP, callers authenticated by a bearer token.
namespace example.todos

use aws.protocols#restJson1

@restJson1
@httpBearerAuth
@paginated(inputToken: "nextToken", outputToken: "nextToken", pageSize: "maxResults")
service Todos {
    version: "2026-11-30"
    operations: [CreateTodo, GetTodo, ListTodos]
    errors: [Unauthorized]
}

/// Adds a to-do.
@http(method: "POST", uri: "/todos", code: 201)
operation CreateTodo {
    input := {
        @required
        @length(min: 1, max: 200)
        title: String
    }
    output := {
        @required
        todo: Todo
    }
}

/// Reads one to-do.
@readonly
@http(method: "GET", uri: "/todos/{id}")
operation GetTodo {
    input := {
        @required
        @httpLabel
        id: String
    }
    output := {
        @required
        todo: Todo
    }
    errors: [NotFound]
}

/// Lists the to-dos, a page at a time.
@readonly
@http(method: "GET", uri: "/todos")
@paginated(items: "todos")
operation ListTodos {
    input := {
        @httpQuery("nextToken")
        nextToken: String

        @httpQuery("maxResults")
        @range(min: 1, max: 50)
        maxResults: Integer
    }
    output := {
        @required
        todos: TodoList
        nextToken: String
    }
}

structure Todo {
    @required
    id: String

    @required
    title: String

    @required
    done: Boolean = false
}

list TodoList {
    member: Todo
}

/// No to-do has this id.
@error("client")
@httpError(404)
structure NotFound {
    message: String
}

/// The bearer token is missing or not accepted.
@error("client")
@httpError(401)
structure Unauthorized {
    message: String
}
