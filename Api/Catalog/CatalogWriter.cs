using Learning.Catalog;
using Learning.Common;

namespace Learning.Api.Catalog;

/// <summary>
/// Sends a change to the catalog's one writer and, when it succeeded, refreshes this process's snapshot at once, so
/// the admin who made the change (and anyone reading through this instance) sees it in the next response; other
/// instances see it within <c>Catalog:RefreshInterval</c>.
/// </summary>
public sealed class CatalogWriter(IGrainFactory grains, ICatalogSnapshots snapshots)
{
    public async Task<(Result<T> Result, CatalogSnapshot Snapshot)> ApplyAsync<T>(Func<ICatalogGrain, Task<Result<T>>> change)
    {
        var result = await change(grains.GetGrain<ICatalogGrain>(0));
        if (result.Succeeded)
        {
            // Not the request's token: the change is made, and this instance should show it even if the caller left.
            await snapshots.RefreshAsync(CancellationToken.None);
        }

        return (result, await snapshots.GetAsync(CancellationToken.None));
    }
}
