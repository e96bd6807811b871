namespace Learning.Catalog;

/// <summary>
/// This process's copy of the catalog (one per silo and per API instance): readers take the newest snapshot held,
/// without a grain call or a storage round trip; a background loop asks the catalog grain for a newer one every
/// <see cref="CatalogSettings.RefreshInterval"/>. While the catalog grain cannot be reached (PostgreSQL down) the
/// last snapshot keeps answering.
/// </summary>
public interface ICatalogSnapshots
{
    /// <summary>The newest snapshot held; the first call waits for one.</summary>
    ValueTask<CatalogSnapshot> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Asks the catalog grain now, so a change made through this process is visible here at once.</summary>
    Task RefreshAsync(CancellationToken cancellationToken = default);
}
