using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Learning.Catalog;

/// <summary>
/// This process's copy of the catalog. Versioned snapshots pulled every <see cref="CatalogSettings.RefreshInterval"/>
/// rather than invalidation messages: a pull needs no delivery guarantee (a missed one is repaired by the next), costs
/// one small call when nothing changed (the grain answers null), and bounds staleness by the interval on every silo
/// and API instance alike. A failed pull keeps the last snapshot, so the public catalog answers while the catalog
/// grain or its database is down. The loop starts with the first read and stops when the host stops.
/// </summary>
public sealed partial class CatalogSnapshots : ICatalogSnapshots, IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly CatalogSettings _settings;
    private readonly TimeProvider _timers;
    private readonly ILogger<CatalogSnapshots> _logger;
    // A zero or negative Catalog:RefreshInterval must not become a loop that calls the grain without pause.
    private static readonly TimeSpan ShortestInterval = TimeSpan.FromMilliseconds(50);

    private readonly SemaphoreSlim _asking = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenRegistration _onHostStopping;
    private CatalogSnapshot? _current;
    private int _refreshing;

    /// <param name="timers">Paces the refresh loop (real time unless a test drives it); not the business clock.</param>
    public CatalogSnapshots(
        IGrainFactory grains, CatalogSettings settings, IHostApplicationLifetime lifetime, ILogger<CatalogSnapshots> logger, TimeProvider? timers = null)
    {
        _grains = grains;
        _settings = settings;
        _logger = logger;
        _timers = timers ?? TimeProvider.System;
        _onHostStopping = lifetime.ApplicationStopping.Register(_stopping.Cancel);
    }

    public ValueTask<CatalogSnapshot> GetAsync(CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _current) is { } held ? ValueTask.FromResult(held) : new ValueTask<CatalogSnapshot>(FirstAsync(cancellationToken));

    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        StartRefreshing();
        await _asking.WaitAsync(cancellationToken);
        try
        {
            // -1 is no version: the grain answers its snapshot, whatever version that is.
            var known = Volatile.Read(ref _current)?.Version ?? -1;
            if (await _grains.GetGrain<ICatalogGrain>(0).GetSnapshotIfNewer(known).WaitAsync(cancellationToken) is { } newer)
            {
                Volatile.Write(ref _current, newer);
            }
        }
        finally
        {
            _asking.Release();
        }
    }

    public void Dispose()
    {
        _onHostStopping.Dispose();
        _stopping.Cancel();
    }

    /// <summary>The first read of this process waits for the catalog; if it cannot be had, the read fails (503), not the process.</summary>
    private async Task<CatalogSnapshot> FirstAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        return Volatile.Read(ref _current) ?? throw new InvalidOperationException("The catalog grain answered no snapshot.");
    }

    private void StartRefreshing()
    {
        if (Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            // Task.Run: the loop must not belong to the grain whose call happened to start it.
            _ = Task.Run(RefreshLoopAsync);
        }
    }

    private async Task RefreshLoopAsync()
    {
        var failing = false;
        var interval = _settings.RefreshInterval > ShortestInterval ? _settings.RefreshInterval : ShortestInterval;
        try
        {
            while (true)
            {
                await Task.Delay(interval, _timers, _stopping.Token);
                try
                {
                    await RefreshAsync(_stopping.Token);
                    if (failing)
                    {
                        failing = false;
                        LogRecovered(_logger, Volatile.Read(ref _current)?.Version ?? -1);
                    }
                }
                catch (Exception exception) when (!_stopping.IsCancellationRequested)
                {
                    // One warning per outage, not one per interval.
                    if (!failing)
                    {
                        failing = true;
                        LogServingLast(_logger, exception, Volatile.Read(ref _current)?.Version ?? -1);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Cannot refresh the catalog; serving the snapshot held (version {Version}, -1: none yet) until the catalog grain answers again")]
    private static partial void LogServingLast(ILogger logger, Exception exception, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog refresh works again (version {Version})")]
    private static partial void LogRecovered(ILogger logger, long version);
}
