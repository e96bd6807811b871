using Learning.Audit;

namespace Learning.Catalog;

/// <summary>
/// Where the catalog lives: PostgreSQL tables in production, process memory in the embedded default. Only the
/// catalog grain writes, one change at a time; the version check still guards against a second activation during
/// fail-over.
/// </summary>
public interface ICatalogStore
{
    /// <summary>The stored catalog, or null when no catalog was ever stored here (the first start then imports one).</summary>
    Task<CatalogSnapshot?> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether this storage already served the service before the catalog was data (accounts exist): such a
    /// deployment keeps the catalog it served, imported once.
    /// </summary>
    Task<bool> ServedBeforeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <paramref name="change"/> and stores its audit entries atomically, when the stored version is still
    /// <see cref="CatalogChange.ExpectedVersion"/> (0: no catalog stored yet); throws
    /// <see cref="CatalogVersionConflictException"/> otherwise.
    /// </summary>
    Task ApplyAsync(CatalogChange change, CancellationToken cancellationToken = default);
}

/// <summary>One atomic step from <see cref="ExpectedVersion"/> to <see cref="Version"/>.</summary>
public sealed record CatalogChange(
    long ExpectedVersion,
    long Version,
    IReadOnlyList<CatalogCourse> UpsertedCourses,
    IReadOnlyList<Guid> DeletedCourses,
    IReadOnlyList<CatalogLesson> UpsertedLessons,
    IReadOnlyList<Guid> DeletedLessons,
    IReadOnlyList<AuditEntry> Audit);

public sealed class CatalogVersionConflictException(long expected)
    : Exception($"The stored catalog is no longer at version {expected}: another writer changed it.");
