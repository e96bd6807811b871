using System.Globalization;
using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Api.Media;
using Learning.Catalog;
using Learning.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Learning.Api.OperatorConsole.Catalog;

/// <summary>
/// A lesson's video upload through <see cref="LessonMediaUploads"/>, the code of <c>PUT /api/admin/lessons/{id}/media</c>.
/// The console's script posts the file itself as the body (streamed, its antiforgery token in a header) and reads a
/// JSON answer; without script the browser posts a multipart form and gets a page back.
/// </summary>
public sealed class LessonMediaModel(LessonMediaUploads uploads, ICatalogSnapshots catalog) : CatalogPageModel
{
    public AdminLessonFacts? Lesson { get; private set; }

    public IActionResult OnGet(Guid id) => Redirect(LessonPath(id));

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        var admin = HttpContext.RequireCaller();
        Result<MediaStored> result;
        if (Request.HasFormContentType)
        {
            // The form was read whole (to a temporary file) to check its antiforgery field; the file part streams from there.
            var file = Request.Form.Files.GetFile("file");
            if (file is null || file.Length == 0)
            {
                result = Failure.Validation("file", "Choose a video file to upload.");
            }
            else
            {
                await using var body = file.OpenReadStream();
                result = await uploads.UploadAsync(admin, id, file.ContentType, body, file.Length, HttpContext);
            }
        }
        else
        {
            result = await uploads.UploadAsync(admin, id, Request.ContentType, Request.Body, Request.ContentLength, HttpContext);
        }

        var scripted = Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));
        if (result.Value is { } stored)
        {
            var media = stored.Lesson.Media!;
            var notice = $"Video uploaded: {Describe(media.ContentType, media.Bytes, media.DurationSeconds)}.";
            return scripted ? new JsonResult(new UploadAnswer(notice)) : Done(LessonPath(id), notice);
        }

        var failure = result.Error!;
        Show(failure);
        if (scripted)
        {
            return new JsonResult(new UploadAnswer(string.Join(" ", Problems))) { StatusCode = ApiProblem.StatusOf(failure.Code) };
        }

        var lesson = (await catalog.GetAsync(HttpContext.RequestAborted)).FindLesson(id);
        Lesson = lesson is null ? null : new AdminLessonFacts(lesson.Id, lesson.Title);
        var page = Page();
        page.StatusCode = ApiProblem.StatusOf(failure.Code);
        return page;
    }

    public static string Describe(string contentType, long bytes, double? durationSeconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{contentType}, {bytes:N0} bytes")
        + (durationSeconds is { } seconds ? string.Create(CultureInfo.InvariantCulture, $", {seconds:0.#} s") : "");

    /// <summary>What the upload script shows under the progress bar.</summary>
    public sealed record UploadAnswer(string Message);

    public sealed record AdminLessonFacts(Guid Id, string Title);
}
