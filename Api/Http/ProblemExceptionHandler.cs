using Learning.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace Learning.Api.Http;

/// <summary>
/// Turns exceptions into contract problems: binding problems keep their status, a cluster that cannot be
/// reached is 503 (the client may retry), anything else is a logged 500 that reveals nothing.
/// </summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        IResult problem;
        switch (exception)
        {
            case ApiProblemException api:
                problem = api.Errors is { } errors
                    ? ApiProblem.Validation(errors)
                    : ApiProblem.Create(api.Status, api.Error, api.Message);
                break;
            case BadHttpRequestException badRequest:
                problem = ApiProblem.ForStatusCode(badRequest.StatusCode);
                break;
            case var unavailable when IsClusterUnavailable(unavailable):
                logger.LogWarning(exception, "Cluster unavailable for {Method} {Path}", context.Request.Method, context.Request.Path);
                context.Response.Headers.RetryAfter = "1";
                problem = ApiProblem.ForStatusCode(StatusCodes.Status503ServiceUnavailable);
                break;
            default:
                logger.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
                problem = ApiProblem.Create(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError, "Something went wrong on our side.");
                break;
        }

        await problem.ExecuteAsync(context);
        return true;
    }

    /// <summary>
    /// Failures of infrastructure rather than of the request: the cluster or the database is unreachable or too slow.
    /// The client may retry them, so they are 503, never 500. Wrapped exceptions (storage, aggregate) are unwrapped.
    /// </summary>
    public static bool IsClusterUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SiloUnavailableException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException
                or TimeoutException or Orleans.Storage.InconsistentStateException or Npgsql.NpgsqlException
                or System.Net.Sockets.SocketException or StackExchange.Redis.RedisConnectionException)
            {
                return true;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsClusterUnavailable))
            {
                return true;
            }
        }

        return false;
    }
}
