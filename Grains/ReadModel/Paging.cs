namespace Learning.ReadModel;

public static class Paging
{
    /// <summary>Cuts a newest-first list (fetched with one row to spare) into a page and the cursor after it.</summary>
    public static Page<T> Cut<T>(IReadOnlyList<T> rowsPlusOne, int limit, Func<T, PageCursor> positionOf)
    {
        var page = rowsPlusOne.Take(limit).ToList();
        return new Page<T>(page, rowsPlusOne.Count > limit ? positionOf(page[^1]) : null);
    }

    /// <summary>Whether a row sorts strictly after the cursor in newest-first order.</summary>
    public static bool IsAfter(DateTimeOffset at, Guid id, PageCursor? cursor) =>
        cursor is not { } c || at < c.At || (at == c.At && id.CompareTo(c.Id) < 0);
}
