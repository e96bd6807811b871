using Learning.Api.Auth;
using Learning.Api.Catalog;
using Learning.Catalog;
using Microsoft.AspNetCore.Mvc;

namespace Learning.Api.OperatorConsole.Catalog;

/// <summary>One lesson: edit it (the grain call of <c>PATCH /api/admin/lessons/{id}</c>) and upload its video.</summary>
public sealed class LessonModel(ICatalogSnapshots catalog, CatalogWriter writer) : CatalogPageModel
{
    public AdminLesson Lesson { get; private set; } = null!;

    public string CourseTitle { get; private set; } = "";

    /// <summary>What the edit form shows: the lesson, or what was posted when it was refused.</summary>
    public LessonPatchRequest Edit { get; private set; } = new(null, null, null, null);

    public Task<IActionResult> OnGetAsync(Guid id) => ShowAsync(id);

    public async Task<IActionResult> OnPostSaveAsync(Guid id, string? title, int? durationMinutes, int? order, bool freePreview)
    {
        var form = new LessonPatchRequest(title, durationMinutes, order, freePreview);
        if (Check(form))
        {
            var admin = HttpContext.RequireCaller();
            var (result, _) = await writer.ApplyAsync(g => g.UpdateLesson(admin.UserId, admin.Client, id, form.ToCommand()));
            if (result.Succeeded)
            {
                return Done(LessonPath(id), "Lesson saved.");
            }

            Show(result.Error!);
        }

        Edit = form;
        return await ShowAsync(id);
    }

    private async Task<IActionResult> ShowAsync(Guid id)
    {
        var snapshot = await catalog.GetAsync(HttpContext.RequestAborted);
        if (snapshot.FindLesson(id) is not { } lesson)
        {
            return NotFound();
        }

        Lesson = AdminLesson.From(lesson);
        CourseTitle = snapshot.FindCourse(lesson.CourseId)?.Title ?? "";
        Edit = new LessonPatchRequest(
            Edit.Title ?? lesson.Title, Edit.DurationMinutes ?? lesson.DurationMinutes, Edit.Order ?? lesson.Order,
            Edit.FreePreview ?? lesson.FreePreview);
        return Page();
    }
}
