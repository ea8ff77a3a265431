using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using RestMan.Caching;
using RestMan.Tests.Infrastructure;
using StackExchange.Redis;

namespace RestMan.Tests.BuildingBlocks;

[Trait("Category", "BuildingBlocks")]
[Collection("infrastructure")]
public sealed class RedisCacheTests(InfrastructureFixture infra)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private sealed record MenuView(Guid RestaurantId, string RestaurantName, IReadOnlyList<string> FoodNames);

    [Fact]
    public async Task Get_or_create_misses_then_hits_and_invalidate_makes_the_next_read_a_miss()
    {
        using var host = HostWithRedis(infra.RedisConnectionString);
        var cache = host.Services.GetRequiredService<RedisCache>();
        var key = UniqueKey();
        var menu = new MenuView(Guid.NewGuid(), "Chez \"Test\" 🍕", ["Soup", "Crème brûlée"]);
        var factoryCalls = 0;
        Task<MenuView> Load(CancellationToken _)
        {
            factoryCalls++;
            return Task.FromResult(menu);
        }

        var first = await cache.GetOrCreateAsync(key, Load, TimeSpan.FromMinutes(5), Ct);
        var second = await cache.GetOrCreateAsync(key, Load, TimeSpan.FromMinutes(5), Ct);
        await cache.InvalidateAsync(key);
        var third = await cache.GetOrCreateAsync(key, Load, TimeSpan.FromMinutes(5), Ct);

        first.Hit.ShouldBeFalse();
        second.Hit.ShouldBeTrue();
        third.Hit.ShouldBeFalse();
        factoryCalls.ShouldBe(2);
        second.Value.RestaurantId.ShouldBe(menu.RestaurantId);
        second.Value.RestaurantName.ShouldBe(menu.RestaurantName);
        second.Value.FoodNames.ShouldBe(menu.FoodNames);
    }

    [Fact]
    public async Task Values_are_stored_as_snake_case_json_with_the_given_ttl()
    {
        using var host = HostWithRedis(infra.RedisConnectionString);
        var cache = host.Services.GetRequiredService<RedisCache>();
        var database = host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var key = UniqueKey();

        await cache.GetOrCreateAsync(key, _ => Task.FromResult(new MenuView(Guid.Empty, "Diner", [])), TimeSpan.FromMinutes(7), Ct);

        var stored = (string?)await database.StringGetAsync(key);
        stored.ShouldBe("""{"restaurant_id":"00000000-0000-0000-0000-000000000000","restaurant_name":"Diner","food_names":[]}""");
        var ttl = await database.KeyTimeToLiveAsync(key);
        ttl.ShouldNotBeNull();
        ttl.Value.ShouldBeInRange(TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(7));
        await cache.InvalidateAsync(key);
    }

    [Fact]
    public async Task An_entry_expires_with_its_ttl()
    {
        using var host = HostWithRedis(infra.RedisConnectionString);
        var cache = host.Services.GetRequiredService<RedisCache>();
        var key = UniqueKey();

        await cache.GetOrCreateAsync(key, _ => Task.FromResult(1), TimeSpan.FromMilliseconds(300), Ct);
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        var afterExpiry = await cache.GetOrCreateAsync(key, _ => Task.FromResult(2), TimeSpan.FromMinutes(1), Ct);

        afterExpiry.ShouldBe(new CacheResult<int>(2, Hit: false));
        await cache.InvalidateAsync(key);
    }

    [Fact]
    public async Task The_redis_check_is_healthy_against_a_running_server()
    {
        using var host = HostWithRedis(infra.RedisConnectionString);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        report.Entries["StackExchange.Redis"].Status.ShouldBe(HealthStatus.Healthy);
    }

    [Fact]
    public async Task With_redis_down_the_service_starts_its_health_is_red_and_reads_fall_back_to_the_factory()
    {
        using var host = HostWithRedis("127.0.0.1:1,connectTimeout=1000");
        var cache = host.Services.GetRequiredService<RedisCache>();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
        var read = await cache.GetOrCreateAsync(UniqueKey(), _ => Task.FromResult("from the database"), TimeSpan.FromMinutes(1), Ct);
        await cache.InvalidateAsync(UniqueKey());

        report.Entries["StackExchange.Redis"].Status.ShouldBe(HealthStatus.Unhealthy);
        read.ShouldBe(new CacheResult<string>("from the database", Hit: false));
    }

    private static IHost HostWithRedis(string connectionString)
    {
        var builder = Host.CreateEmptyApplicationBuilder(settings: null);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = connectionString });
        builder.AddRedis();
        return builder.Build();
    }

    private static string UniqueKey() => "test:cache:" + Guid.NewGuid().ToString("N");
}
