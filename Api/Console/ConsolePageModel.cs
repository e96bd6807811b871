using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Learning.Api.OperatorConsole;

/// <summary>
/// What console pages share: the signed-in admin as the actor of their commands, and the post-redirect-get answer of
/// a command (a notice or the refusal's message, shown once by the layout).
/// </summary>
public abstract class ConsolePageModel : PageModel
{
    /// <summary>The signed-in admin, as the REST routes pass them to the grains (audited as <c>actor_id</c>).</summary>
    protected Caller Admin => HttpContext.RequireCaller();

    /// <summary>Shows <paramref name="notice"/> on success, the refusal's message otherwise, back on <paramref name="back"/>.</summary>
    protected IActionResult After<T>(Result<T> result, string notice, string back)
    {
        if (result.Error is { } failure)
        {
            TempData[ConsoleMessages.Problem] = Describe(failure);
        }
        else
        {
            TempData[ConsoleMessages.Notice] = notice;
        }

        return LocalRedirect(back);
    }

    /// <summary>A refused form: its message, shown once on <paramref name="back"/>.</summary>
    protected IActionResult Refused(string problem, string back)
    {
        TempData[ConsoleMessages.Problem] = problem;
        return LocalRedirect(back);
    }

    public static string Describe(Failure failure) =>
        failure.Errors is { Count: > 0 } errors
            ? string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))
            : failure.Message;

    protected static string Describe(RequestErrors errors) =>
        string.Join(" ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}

/// <summary>The TempData keys the layout shows once.</summary>
public static class ConsoleMessages
{
    public const string Notice = "Notice";
    public const string Problem = "Problem";
}
