extern alias KitchenService;

using KitchenService::RestMan.Kitchen.Model;
using RestMan.Data;

namespace RestMan.UnitTests.BuildingBlocks;

/// <summary>Where the two engines disagree, a migration carries CockroachDB's statements beside PostgreSQL's.</summary>
[Trait("Category", "Unit")]
public sealed class MigrationVariantTests
{
    [Fact]
    public void The_kitchens_ticket_per_round_key_drops_the_old_unique_rule_each_engines_way()
    {
        var migrations = EmbeddedMigrations.Load(typeof(KitchenTicket).Assembly);

        migrations.Select(m => m.Version).ShouldNotContain(v => v.EndsWith(EmbeddedMigrations.CockroachVariant, StringComparison.Ordinal));
        var key = migrations.Single(m => m.Version == "0003_ticket_per_round_key");
        key.SqlFor(cockroachDb: false).ShouldContain("DROP CONSTRAINT IF EXISTS kitchen_tickets_one_per_order");
        key.SqlFor(cockroachDb: true).ShouldContain("DROP INDEX IF EXISTS kitchen.kitchen_tickets@kitchen_tickets_one_per_order CASCADE");
        key.SqlFor(cockroachDb: true).ShouldNotContain("ALTER TABLE kitchen.kitchen_tickets DROP CONSTRAINT");
        migrations.Single(m => m.Version == "0001_kitchen").SqlFor(cockroachDb: true).ShouldBe(migrations.Single(m => m.Version == "0001_kitchen").Sql);
    }
}
