using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;

namespace RestMan.UnitTests.AppHost;

/// <summary>The ports run-mode resources listen on: distinct, never ephemeral, never one something already listens on.</summary>
[Trait("Category", "Unit")]
public sealed class PortAllocatorTests
{
    [Fact]
    public void Thousands_of_ports_are_distinct_and_none_is_in_the_kernels_ephemeral_range()
    {
        var ephemeral = PortAllocator.EphemeralRange();
        var allocator = new PortAllocator(ephemeral, PortAllocator.IsFree, firstPort: Random.Shared.Next(PortAllocator.LowestPort, 65536));

        var ports = Enumerable.Range(0, 5000).Select(_ => allocator.Allocate()).ToList();

        ports.Distinct().Count().ShouldBe(5000);
        ports.ShouldAllBe(p => p >= PortAllocator.LowestPort && p <= 65535 && (p < ephemeral.First || p > ephemeral.Last));
    }

    [Fact]
    public void The_ephemeral_range_is_the_kernels()
    {
        var kernel = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split(['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);

        PortAllocator.EphemeralRange().ShouldBe((int.Parse(kernel[0]), int.Parse(kernel[1])));
    }

    [Fact]
    public void Every_port_outside_the_ephemeral_range_is_handed_out_once_then_the_allocator_says_none_is_left()
    {
        var allocator = new PortAllocator((21000, 64000), _ => true, firstPort: 63000);

        var ports = Enumerable.Range(0, 1000 + 1535).Select(_ => allocator.Allocate()).ToList();

        ports.Order().ShouldBe([.. Enumerable.Range(20000, 1000), .. Enumerable.Range(64001, 1535)]);
        ports[0].ShouldBe(64001); // the first candidate at or above the start
        Should.Throw<InvalidOperationException>(() => allocator.Allocate()).Message.ShouldContain("no free port left");
    }

    [Fact]
    public void A_port_something_already_listens_on_is_skipped()
    {
        var taken = new PortAllocator(PortAllocator.EphemeralRange(), PortAllocator.IsFree, firstPort: 30000).Allocate();
        using var listener = new TcpListener(IPAddress.Loopback, taken);
        listener.Start();

        var allocator = new PortAllocator(PortAllocator.EphemeralRange(), PortAllocator.IsFree, firstPort: taken);

        PortAllocator.IsFree(taken).ShouldBeFalse();
        var port = allocator.Allocate();
        port.ShouldNotBe(taken);
        port.ShouldBeGreaterThan(taken);
        PortAllocator.IsFree(port).ShouldBeTrue();
    }
}
