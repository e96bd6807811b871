using Learning.Api.Auth;
using Learning.Api.Catalog;
using Learning.Api.Http;
using Learning.Catalog;
using Microsoft.AspNetCore.Mvc;

namespace Learning.Api.OperatorConsole.Catalog;

/// <summary>Courses, newest first, filtered and paged like <c>GET /api/admin/courses</c>; a new course starts here.</summary>
public sealed class CoursesModel(ICatalogSnapshots catalog, CatalogWriter writer) : CatalogPageModel
{
    public IReadOnlyList<AdminCourse> Courses { get; private set; } = [];

    public string? Query { get; private set; }

    public bool? Published { get; private set; }

    /// <summary>The same filters from the next course on, or null on the last page.</summary>
    public string? NextPage { get; private set; }

    /// <summary>What the create form shows again after a refusal.</summary>
    public string? NewTitle { get; private set; }

    public string? NewDescription { get; private set; }

    public Task OnGetAsync() => ListAsync();

    public async Task<IActionResult> OnPostCreateAsync(string? title, string? description)
    {
        var form = new NewCourseRequest(title, description, Published: false);
        if (Check(form))
        {
            var admin = HttpContext.RequireCaller();
            var (result, _) = await writer.ApplyAsync(g => g.CreateCourse(admin.UserId, admin.Client, form.ToCommand()));
            if (result.Value is { } course)
            {
                return Done(CoursePath(course.Id), $"Course \"{course.Title}\" created (unpublished).");
            }

            Show(result.Error!);
        }

        (NewTitle, NewDescription) = (title, description);
        await ListAsync();
        return Page();
    }

    private async Task ListAsync()
    {
        // The query string of the listing route, read by the same reader, so filters and cursors mean the same here.
        var query = new QueryReader(Request);
        Query = query.Text("q");
        Published = query.Bool("published");
        var (limit, after) = query.Page();
        Show(query.Errors);
        var snapshot = await catalog.GetAsync(HttpContext.RequestAborted);
        var page = CourseListing.Page(snapshot.Courses, Query, Published, limit, after);
        Courses = [.. page.Results.Select(c => AdminCourse.From(c, snapshot))];
        NextPage = ConsolePaths.NextPage(Request, QueryReader.EncodeCursor(page.Next));
    }
}
