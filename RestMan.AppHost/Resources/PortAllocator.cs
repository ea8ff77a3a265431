using System.Net;
using System.Net.Sockets;

namespace Aspire.Hosting;

/// <summary>
/// Hands out the TCP ports run-mode resources listen on: outside the kernel's ephemeral range (so no outgoing
/// connection and no port-0 bind of any process is given one), never the same port twice in this process, and free
/// when handed out. Consecutive ports from a random start, so AppHosts running side by side rarely meet; one that
/// takes a port anyway is caught when the resource starts (<see cref="FreePorts"/>).
/// </summary>
public sealed class PortAllocator
{
    /// <summary>Above the dashboard's 18888–18890 and the usual development servers.</summary>
    public const int LowestPort = 20000;

    private readonly Lock _lock = new();
    private readonly int[] _candidates;
    private readonly HashSet<int> _handedOut = [];
    private readonly Func<int, bool> _isFree;
    private int _next;

    /// <summary>The one allocator of this process: graphs started side by side in one test run share it.</summary>
    public static PortAllocator Shared { get; } = new(EphemeralRange(), IsFree, firstPort: Random.Shared.Next(LowestPort, 65536));

    /// <param name="ephemeral">The kernel's ephemeral range, never handed out.</param>
    /// <param name="isFree">Whether nothing listens on a port now.</param>
    /// <param name="firstPort">Where the scan starts (the next candidate at or above it).</param>
    public PortAllocator((int First, int Last) ephemeral, Func<int, bool> isFree, int firstPort)
    {
        _candidates = [.. Enumerable.Range(LowestPort, 65536 - LowestPort).Where(p => p < ephemeral.First || p > ephemeral.Last)];
        if (_candidates.Length == 0) throw new InvalidOperationException($"no ports outside the ephemeral range {ephemeral.First}-{ephemeral.Last}");
        _isFree = isFree;
        var index = Array.BinarySearch(_candidates, firstPort);
        _next = index >= 0 ? index : ~index % _candidates.Length;
    }

    /// <summary>A port nothing listens on now, not handed out before by this allocator.</summary>
    public int Allocate()
    {
        lock (_lock)
        {
            for (var tried = 0; tried < _candidates.Length; tried++)
            {
                var port = _candidates[_next];
                _next = (_next + 1) % _candidates.Length;
                if (_handedOut.Contains(port) || !_isFree(port)) continue;
                _handedOut.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"no free port left between {LowestPort} and 65535 outside the ephemeral range");
    }

    /// <summary>
    /// True when no socket listens on <paramref name="port"/> on any address. SO_REUSEADDR, as servers use it: a port
    /// whose old connections linger in TIME_WAIT counts as free, since the server about to bind it can.
    /// </summary>
    public static bool IsFree(int port)
    {
        List<Socket> sockets = [];
        try
        {
            sockets.Add(Bound(new IPEndPoint(IPAddress.Any, port)));
            if (Socket.OSSupportsIPv6) sockets.Add(Bound(new IPEndPoint(IPAddress.IPv6Any, port)));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }

        static Socket Bound(IPEndPoint endpoint)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (endpoint.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = false;
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(endpoint);
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    /// <summary>The kernel's ephemeral port range (Linux); 32768–65535 where it cannot be read, which covers Linux's and IANA's.</summary>
    public static (int First, int Last) EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (32768, 65535);
        }
    }
}
