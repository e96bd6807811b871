using Learning.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Learning.Api.Http;

public static class ResultHttpExtensions
{
    /// <summary>
    /// Maps a grain's outcome to HTTP: the success the endpoint chooses, or the failure's problem. Both appear in the
    /// endpoint's signature (and so in the OpenAPI document).
    /// </summary>
    public static Results<TSuccess, ProblemHttpResult> ToHttp<T, TSuccess>(
        this Result<T> result, HttpContext context, Func<T, TSuccess> onSuccess)
        where TSuccess : IResult =>
        result.Error is { } failure ? ApiProblem.From(failure, context) : onSuccess(result.Value!);
}
