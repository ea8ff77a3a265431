namespace RestMan.Messaging;

/// <summary>The Kafka topics of RestMan; each has a dead-letter twin named <c>&lt;topic&gt;.dlq</c>.</summary>
public static class Topics
{
    public const string User = "user.events";
    public const string Menu = "menu.events";
    public const string Order = "order.events";
    public const string Bill = "bill.events";
    public const string Table = "table.events";
    public const string Reservation = "reservation.events";
    public const string Kitchen = "kitchen.events";
    public const string Inventory = "inventory.events";

    public const string DeadLetterSuffix = ".dlq";

    public static IReadOnlyList<string> All { get; } = [User, Menu, Order, Bill, Table, Reservation, Kitchen, Inventory];

    public static string DeadLetterOf(string topic) => topic + DeadLetterSuffix;
}
