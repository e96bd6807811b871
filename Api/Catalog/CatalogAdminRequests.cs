using Learning.Api.Http;
using Learning.Catalog;

namespace Learning.Api.Catalog;

// Bodies of the catalog management routes. Here only presence and shape are checked; the catalog's own rules
// (lengths, ranges, unique order) are the grains' CatalogRules, so they hold whoever calls the grain.

public sealed record NewCourseRequest(string? Title, string? Description, bool? Published) : IRequestBody
{
    public void Validate(RequestErrors errors) => CatalogFields.Require(errors, "title", Title);

    public NewCourse ToCommand() => new(Title!, Description ?? "", Published ?? false);
}

public sealed record CoursePatchRequest(string? Title, string? Description, bool? Published) : IRequestBody
{
    public void Validate(RequestErrors errors) =>
        CatalogFields.RequireAny(errors, Title is not null || Description is not null || Published is not null, "title, description, published");

    public CoursePatch ToCommand() => new(Title, Description, Published);
}

public sealed record NewLessonRequest(string? Title, int? DurationMinutes, int? Order, bool? FreePreview) : IRequestBody
{
    public void Validate(RequestErrors errors)
    {
        CatalogFields.Require(errors, "title", Title);
        CatalogFields.Require(errors, "duration_minutes", DurationMinutes);
        CatalogFields.Require(errors, "order", Order);
    }

    public NewLesson ToCommand() => new(Title!, DurationMinutes!.Value, Order!.Value, FreePreview ?? false);
}

public sealed record LessonPatchRequest(string? Title, int? DurationMinutes, int? Order, bool? FreePreview) : IRequestBody
{
    public void Validate(RequestErrors errors) =>
        CatalogFields.RequireAny(errors, Title is not null || DurationMinutes is not null || Order is not null || FreePreview is not null,
            "title, duration_minutes, order, free_preview");

    public LessonPatch ToCommand() => new(Title, DurationMinutes, Order, FreePreview);
}

public sealed record LessonOrderRequest(IReadOnlyList<string?>? LessonIds) : IRequestBody
{
    public void Validate(RequestErrors errors)
    {
        if (LessonIds is null)
        {
            errors.Add("lesson_ids", "This field is required.");
        }
        else if (LessonIds.Any(id => !Guid.TryParse(id, out _)))
        {
            errors.Add("lesson_ids", "Every entry must be a lesson id (a UUID).");
        }
    }

    public System.Collections.Immutable.ImmutableArray<Guid> ToIds() => [.. LessonIds!.Select(id => Guid.Parse(id!))];
}

internal static class CatalogFields
{
    public static void Require<T>(RequestErrors errors, string field, T? value)
    {
        if (value is null)
        {
            errors.Add(field, "This field is required.");
        }
    }

    /// <summary>A patch that changes nothing is a client's mistake, not an edit worth an audit entry.</summary>
    public static void RequireAny(RequestErrors errors, bool anyGiven, string fields)
    {
        if (!anyGiven)
        {
            errors.Add("body", $"Send at least one of {fields}.");
        }
    }
}
