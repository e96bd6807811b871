using System.Collections.Immutable;

namespace Learning.Catalog;

/// <summary>
/// Applies a stored change to a snapshot: the rules make their new snapshot this way, and the in-memory store keeps
/// its copy this way, so both always agree on what a change means.
/// </summary>
public static class CatalogChanges
{
    /// <summary>The snapshot after <paramref name="change"/>: courses in creation order (new ones last), lessons by course then order.</summary>
    public static CatalogSnapshot Apply(this CatalogSnapshot catalog, CatalogChange change)
    {
        var courses = Upsert(catalog.Courses, change.UpsertedCourses, change.DeletedCourses, c => c.Id);
        var position = courses.Select((c, i) => (c.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var lessons = Upsert(catalog.Lessons, change.UpsertedLessons, change.DeletedLessons, l => l.Id)
            .OrderBy(l => position.GetValueOrDefault(l.CourseId, int.MaxValue))
            .ThenBy(l => l.Order)
            .ToImmutableArray();
        return new CatalogSnapshot(change.Version, courses, lessons);
    }

    private static ImmutableArray<T> Upsert<T>(ImmutableArray<T> items, IReadOnlyList<T> upserted, IReadOnlyList<Guid> deleted, Func<T, Guid> idOf)
    {
        var replacing = upserted.ToDictionary(idOf);
        var gone = deleted.ToHashSet();
        var kept = items.Where(i => !gone.Contains(idOf(i))).Select(i => replacing.Remove(idOf(i), out var next) ? next : i);
        // What is left in `replacing` is new; Remove above ran as `kept` was enumerated, so materialize first.
        var result = kept.ToImmutableArray();
        return result.AddRange(upserted.Where(u => replacing.ContainsKey(idOf(u))));
    }
}
