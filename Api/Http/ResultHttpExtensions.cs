using Learning.Common;

namespace Learning.Api.Http;

public static class ResultHttpExtensions
{
    /// <summary>Maps a grain's outcome to HTTP: the success shape the endpoint chooses, or the failure's problem.</summary>
    public static IResult ToHttp<T>(this Result<T> result, HttpContext context, Func<T, IResult> onSuccess) =>
        result.Error is { } failure ? ApiProblem.From(failure, context) : onSuccess(result.Value!);
}
