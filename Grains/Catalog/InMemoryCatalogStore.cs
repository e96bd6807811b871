using Learning.ReadModel;

namespace Learning.Catalog;

/// <summary>
/// The catalog of the embedded default, in this process's memory: a singleton, so it outlives activations of the
/// catalog grain (a reactivated grain finds what was stored, including an emptied catalog). Audit entries go to the
/// read model with the change. Nothing was ever served from here before the catalog was data.
/// </summary>
public sealed class InMemoryCatalogStore(IReadModelWriter readModel) : ICatalogStore
{
    private readonly SemaphoreSlim _writing = new(1, 1);
    private volatile CatalogSnapshot? _stored;

    public Task<CatalogSnapshot?> LoadAsync(CancellationToken cancellationToken = default) => Task.FromResult(_stored);

    public Task<bool> ServedBeforeAsync(CancellationToken cancellationToken = default) => Task.FromResult(false);

    public async Task ApplyAsync(CatalogChange change, CancellationToken cancellationToken = default)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            var current = _stored;
            if ((current?.Version ?? 0) != change.ExpectedVersion)
            {
                throw new CatalogVersionConflictException(change.ExpectedVersion);
            }

            // The audit first: the in-memory read model never refuses, and a repeat of an entry is skipped by its id.
            await readModel.WriteAsync(null, change.Audit, cancellationToken);
            _stored = (current ?? CatalogSnapshot.Empty).Apply(change);
        }
        finally
        {
            _writing.Release();
        }
    }
}
