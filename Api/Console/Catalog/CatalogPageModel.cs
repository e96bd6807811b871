using Learning.Api.Http;
using Learning.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Learning.Api.OperatorConsole.Catalog;

/// <summary>
/// What every catalog page shares: the messages it shows. A refused change (bad input, a rule of the catalog grain,
/// a conflict) is shown on the page it came from, never turned into an error page.
/// </summary>
public abstract class CatalogPageModel : PageModel
{
    /// <summary>What went wrong with the last post, one line each.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>What the last post did, kept across its redirect; the console's layout shows it.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>The same shape checks as the REST body; false (with the problems shown) when the form misses something.</summary>
    protected bool Check(IRequestBody form)
    {
        // A value the form could not even convert (letters in a number field) is reported as itself.
        foreach (var (field, entry) in ModelState)
        {
            Problems.AddRange(entry.Errors.Select(e => $"{field}: {e.ErrorMessage}"));
        }

        var errors = new RequestErrors();
        form.Validate(errors);
        Show(errors.ToDictionary());
        return Problems.Count == 0;
    }

    protected void Show(Failure failure)
    {
        Problems.Add(failure.Message);
        Show(failure.Errors ?? []);
    }

    protected void Show(Dictionary<string, string[]> errors) =>
        Problems.AddRange(errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")));

    /// <summary>After a change, back to a page (so a reload does not post again) with the notice to show there.</summary>
    protected RedirectResult Done(string url, string notice)
    {
        Notice = notice;
        return Redirect(url);
    }

    public static string CoursePath(Guid courseId) => $"/console/catalog/courses/{courseId:D}";

    public static string LessonPath(Guid lessonId) => $"/console/catalog/lessons/{lessonId:D}";
}
