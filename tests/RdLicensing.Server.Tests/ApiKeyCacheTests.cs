using Microsoft.Extensions.Time.Testing;
using RdLicensing.Server.Auth;
using RdLicensing.Storage;
using RdLicensing.Storage.Sqlite;

namespace RdLicensing.Server.Tests;

/// <summary>
/// ApiKeys remembers a found key for <see cref="ApiKeys.CacheLifetime"/>: a removal through this node takes effect at
/// once; a removal by another node (straight in the shared store) within that lifetime; unknown keys are never remembered.
/// </summary>
public sealed class ApiKeyCacheTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rdlic-keycache-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private SqliteLicenseStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteLicenseStore(SqliteLicenseStore.ConnectionStringFor(Path.Combine(_directory, "rdlic.db")));
        await _store.InitializeAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_key_removed_by_another_node_stops_working_within_the_cache_lifetime()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var keys = new ApiKeys(_store, _time);
        (ApiKeyRecord record, string key) = await keys.CreateAsync("rdsh01", Roles.Host, ct);
        Assert.Equal("rdsh01", (await keys.FindAsync(key, ct))?.Name);

        // Another node removes it: this node's store rows change under it.
        Assert.True(await _store.WriteAsync(s => s.RemoveApiKey(record.Name), ct));
        _time.Advance(ApiKeys.CacheLifetime - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(await keys.FindAsync(key, ct));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await keys.FindAsync(key, ct));
        Assert.Null(await keys.FindAsync(key, ct));
    }

    [Fact]
    public async Task A_key_removed_through_this_node_stops_working_at_once()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var keys = new ApiKeys(_store, _time);
        (_, string key) = await keys.CreateAsync("rdsh02", Roles.Host, ct);
        Assert.NotNull(await keys.FindAsync(key, ct));
        await keys.RemoveAsync("rdsh02", Roles.Host, ct);
        Assert.Null(await keys.FindAsync(key, ct));
    }

    [Fact]
    public async Task An_unknown_key_is_not_remembered()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var keys = new ApiKeys(_store, _time);
        string key = ApiKeys.NewKey();
        Assert.Null(await keys.FindAsync(key, ct));

        // The same text becomes a key (as if another node stored it): found at once, without waiting for a lifetime.
        Assert.True(await _store.WriteAsync(s => s.AddApiKey(new ApiKeyRecord("late", Roles.Auditor, ApiKeys.Hash(key), _time.GetUtcNow(), null)), ct));
        Assert.Equal("late", (await keys.FindAsync(key, ct))?.Name);
    }
}
