using System.Collections.Immutable;
using Learning.Api.Auth;
using Learning.Api.Catalog;
using Learning.Catalog;
using Learning.Common;
using Microsoft.AspNetCore.Mvc;

namespace Learning.Api.OperatorConsole.Catalog;

/// <summary>
/// One course with its lessons: edit, publish or unpublish, add a lesson, move lessons up and down. Each post is the
/// catalog grain call of the matching REST route (PATCH the course, POST a lesson, PUT the lesson order).
/// </summary>
public sealed class CourseModel(ICatalogSnapshots catalog, CatalogWriter writer) : CatalogPageModel
{
    public AdminCourseDetail Course { get; private set; } = null!;

    /// <summary>What the edit form shows: the course, or what was posted when it was refused.</summary>
    public string? EditTitle { get; private set; }

    public string? EditDescription { get; private set; }

    /// <summary>What the new-lesson form shows again after a refusal.</summary>
    public NewLessonRequest NewLesson { get; private set; } = new(null, null, null, null);

    public Task<IActionResult> OnGetAsync(Guid id) => ShowAsync(id);

    public async Task<IActionResult> OnPostSaveAsync(Guid id, string? title, string? description)
    {
        var form = new CoursePatchRequest(title, description ?? "", Published: null);
        if (Check(form) && await ChangeAsync(g => g.UpdateCourse(Admin.UserId, Admin.Client, id, form.ToCommand())))
        {
            return Done(CoursePath(id), "Course saved.");
        }

        (EditTitle, EditDescription) = (title, description);
        return await ShowAsync(id);
    }

    public async Task<IActionResult> OnPostPublishAsync(Guid id, bool published)
    {
        var form = new CoursePatchRequest(null, null, published);
        return Check(form) && await ChangeAsync(g => g.UpdateCourse(Admin.UserId, Admin.Client, id, form.ToCommand()))
            ? Done(CoursePath(id), published ? "Course published: learners see it now." : "Course unpublished: learners no longer see it.")
            : await ShowAsync(id);
    }

    public async Task<IActionResult> OnPostAddLessonAsync(Guid id, string? title, int? durationMinutes, int? order, bool freePreview)
    {
        var form = new NewLessonRequest(title, durationMinutes, order, freePreview);
        if (Check(form))
        {
            var (result, _) = await writer.ApplyAsync(g => g.AddLesson(Admin.UserId, Admin.Client, id, form.ToCommand()));
            if (result.Value is { } lesson)
            {
                return Done(LessonPath(lesson.Id), $"Lesson \"{lesson.Title}\" added. Upload its video below.");
            }

            Show(result.Error!);
        }

        NewLesson = form;
        return await ShowAsync(id);
    }

    /// <summary>Moves a lesson one place up (<paramref name="by"/> = -1) or down (+1): the whole order, as the REST route takes it.</summary>
    public async Task<IActionResult> OnPostMoveAsync(Guid id, Guid lesson, int by)
    {
        var lessons = (await catalog.GetAsync(HttpContext.RequestAborted)).LessonsOf(id);
        var from = lessons.Select(l => l.Id).ToList().IndexOf(lesson);
        var to = from + Math.Sign(by);
        if (from < 0 || to == from || to < 0 || to >= lessons.Length)
        {
            // A stale page (the lesson moved or went meanwhile): show the order as it is now.
            Problems.Add("That lesson cannot move there any more; this is the current order.");
            return await ShowAsync(id);
        }

        var order = lessons.Select(l => l.Id).ToArray();
        (order[from], order[to]) = (order[to], order[from]);
        return await ChangeAsync(g => g.ReorderLessons(Admin.UserId, Admin.Client, id, ImmutableArray.Create(order)))
            ? Done(CoursePath(id), "Lessons reordered.")
            : await ShowAsync(id);
    }

    private Caller Admin => HttpContext.RequireCaller();

    private async Task<bool> ChangeAsync<T>(Func<ICatalogGrain, Task<Result<T>>> change)
    {
        var (result, _) = await writer.ApplyAsync(change);
        if (result.Error is { } failure)
        {
            Show(failure);
        }

        return result.Succeeded;
    }

    private async Task<IActionResult> ShowAsync(Guid id)
    {
        var snapshot = await catalog.GetAsync(HttpContext.RequestAborted);
        if (snapshot.FindCourse(id) is not { } course)
        {
            return NotFound();
        }

        Course = AdminCourseDetail.From(course, snapshot);
        EditTitle ??= course.Title;
        EditDescription ??= course.Description;
        return Page();
    }
}
