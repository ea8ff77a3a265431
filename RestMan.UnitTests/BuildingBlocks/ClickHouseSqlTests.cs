using RestMan.ClickHouse;

namespace RestMan.UnitTests.BuildingBlocks;

/// <summary>How values and names reach ClickHouse's SQL (it takes no query parameters), and how its connection string is read.</summary>
[Trait("Category", "Unit")]
public sealed class ClickHouseSqlTests
{
    [Fact]
    public void Literals_escape_and_type_every_value()
    {
        ClickHouseSql.Literal("it's a \\ path\n\t\0").ShouldBe(@"'it\'s a \\ path\n\t\0'");
        ClickHouseSql.Literal("bell\a").ShouldBe(@"'bell\x07'");
        ClickHouseSql.Literal(-5L).ShouldBe("(-5)");
        ClickHouseSql.Literal(7).ShouldBe("7");
        ClickHouseSql.Literal(12.50m).ShouldBe("toDecimal128('12.50', 2)");
        ClickHouseSql.Literal(new DateOnly(2024, 2, 29)).ShouldBe("toDate('2024-02-29')");
        ClickHouseSql.Literal(new DateTimeOffset(2024, 1, 1, 2, 0, 0, TimeSpan.FromHours(2))).ShouldBe("toDateTime('2024-01-01 00:00:00', 'UTC')");
        ClickHouseSql.Literal(Guid.Empty).ShouldBe("toUUID('00000000-0000-0000-0000-000000000000')");
        ClickHouseSql.List([Guid.Empty]).ShouldBe("(toUUID('00000000-0000-0000-0000-000000000000'))");
        Should.Throw<ArgumentException>(() => ClickHouseSql.List([]));
    }

    [Theory]
    [InlineData("orders_analytics", true)]
    [InlineData("restman_analytics.orders_analytics", true)]
    [InlineData("orders; DROP TABLE x", false)]
    [InlineData("orders analytics", false)]
    [InlineData("`orders`", false)]
    [InlineData("a.b.c", false)]
    [InlineData("", false)]
    public void Identifiers_are_validated(string name, bool valid)
    {
        if (valid)
        {
            ClickHouseSql.Identifier(name).ShouldBe(name);
        }
        else
        {
            Should.Throw<ArgumentException>(() => ClickHouseSql.Identifier(name));
        }
    }

    [Fact]
    public void The_connection_string_is_parsed_and_never_prints_the_password()
    {
        var settings = ClickHouseConnectionSettings.Parse("Host=ch.example;Port=9123;Database=restman_analytics;Username=analytics;Password=s3cret");

        settings.Endpoint.ShouldBe(new Uri("http://ch.example:9123/"));
        settings.Database.ShouldBe("restman_analytics");
        settings.Username.ShouldBe("analytics");
        settings.Password.ShouldBe("s3cret");
        settings.ToString().ShouldNotContain("s3cret");
        Should.Throw<FormatException>(() => ClickHouseConnectionSettings.Parse("Port=8123"));
        Should.Throw<FormatException>(() => ClickHouseConnectionSettings.Parse("Host=h;Database=x;DROP"));
    }
}
