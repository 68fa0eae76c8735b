package dev.ovm.io.virtio;

import dev.ovm.vmm.memory.GuestMemoryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.checkerframework.checker.lock.qual.GuardSatisfied;
import org.checkerframework.checker.lock.qual.GuardedBy;
import org.checkerframework.checker.lock.qual.Holding;

/**
 * A virtio block device (virtio 1.2 5.2) over a {@link BlockBackend}: one request queue, requests
 * VIRTIO_BLK_T_IN, _OUT, _FLUSH and _GET_ID; every other type completes with
 * VIRTIO_BLK_S_UNSUPP.
 *
 * <p>Features offered: VIRTIO_BLK_F_SEG_MAX (seg_max = queue size - 2), VIRTIO_BLK_F_BLK_SIZE
 * (512), VIRTIO_BLK_F_FLUSH, and VIRTIO_BLK_F_RO for a read-only backend. Configuration space
 * (5.2.4): capacity in 512-byte sectors ({@code backend.size() / 512}; a partial last sector is
 * not visible), seg_max and blk_size; everything else reads 0.
 *
 * <p>Requests (5.2.6): a 16-byte header (type, reserved, sector) in the readable buffers, data,
 * and a status byte in the last writable byte. Data lengths must be multiples of 512 and the
 * sectors inside the capacity, else VIRTIO_BLK_S_IOERR. A write to a read-only device fails with
 * VIRTIO_BLK_S_IOERR and writes nothing (5.2.6.2). A flush returns once the backend says the data
 * is durable; if the driver did not negotiate VIRTIO_BLK_F_FLUSH every write is flushed before it
 * completes (write-through, 5.2.6.2). Host I/O errors become VIRTIO_BLK_S_IOERR.
 *
 * <p>Malformed chains: a chain that breaks a virtqueue rule but still has a writable last byte is
 * completed with VIRTIO_BLK_S_IOERR there; a chain with no place for a status, or a corrupt
 * ring, puts the device in DEVICE_NEEDS_RESET (2.1.2). The used length is the number of bytes
 * written from the start of the writable buffers (2.7.8), which may be less than what was written.
 *
 * <p>Thread safety: one lock per device ({@code lock}); the transport calls in with its lock held
 * (transport lock, then this lock, then the interrupt state's).
 */
public final class VirtioBlock implements VirtioDevice, AutoCloseable {
  /** VIRTIO_BLK_F_SEG_MAX: seg_max is valid. */
  public static final int F_SEG_MAX = 2;
  /** VIRTIO_BLK_F_RO: the device is read-only. */
  public static final int F_RO = 5;
  /** VIRTIO_BLK_F_BLK_SIZE: blk_size is valid. */
  public static final int F_BLK_SIZE = 6;
  /** VIRTIO_BLK_F_FLUSH: the flush command is supported. */
  public static final int F_FLUSH = 9;

  /** VIRTIO_BLK_T_IN: read. */
  public static final int T_IN = 0;
  /** VIRTIO_BLK_T_OUT: write. */
  public static final int T_OUT = 1;
  /** VIRTIO_BLK_T_FLUSH. */
  public static final int T_FLUSH = 4;
  /** VIRTIO_BLK_T_GET_ID: the device ID string. */
  public static final int T_GET_ID = 8;

  /** VIRTIO_BLK_S_OK. */
  public static final int S_OK = 0;
  /** VIRTIO_BLK_S_IOERR. */
  public static final int S_IOERR = 1;
  /** VIRTIO_BLK_S_UNSUPP. */
  public static final int S_UNSUPP = 2;

  /** Bytes of a sector, the unit of capacity and of the request header's sector field. */
  public static final int SECTOR_SIZE = 512;
  /** Bytes of the device ID string (VIRTIO_BLK_ID_BYTES). */
  public static final int ID_BYTES = 20;
  /** Size of the request queue. */
  public static final int QUEUE_SIZE = 256;

  private static final int HEADER_BYTES = 16;
  private static final int CONFIG_BYTES = 64;
  private static final int CHUNK = 64 * 1024;

  /** The mutable state; guarded by {@code lock}. */
  private static final class State {
    DeviceLifecycle lifecycle = DeviceLifecycle.INACTIVE;
    /** Staging buffer between guest memory and the backend. */
    final byte[] buffer = new byte[CHUNK];
    /** The request header, and the status byte on its way out. */
    final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  }

  private final BlockBackend backend;
  private final byte[] id;
  private final ByteBuffer config;
  private final Object lock = new Object();
  private final @GuardedBy("lock") State state = new State();

  /**
   * Creates a block device over {@code backend}.
   *
   * @param serial the device ID string returned by GET_ID; truncated to 20 bytes of ASCII
   */
  public VirtioBlock(BlockBackend backend, String serial) {
    this.backend = backend;
    this.id = Arrays.copyOf(serial.getBytes(StandardCharsets.US_ASCII), ID_BYTES);
    this.config = buildConfig(backend.size() / SECTOR_SIZE);
  }

  /**
   * Opens a raw image file as a block device; its serial is the file name.
   *
   * @param readOnly open the file read-only and offer VIRTIO_BLK_F_RO
   * @throws IOException if the file cannot be opened
   */
  public static VirtioBlock open(Path image, boolean readOnly) throws IOException {
    Path fileName = image.getFileName();
    return new VirtioBlock(
        FileBlockBackend.open(image, readOnly), fileName == null ? "ovm-blk" : fileName.toString());
  }

  /** struct virtio_blk_config (5.2.4), read-only. */
  private static ByteBuffer buildConfig(long capacity) {
    return ByteBuffer.allocate(CONFIG_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(0, capacity)
        .putInt(12, QUEUE_SIZE - 2) // seg_max: the header and the status take two descriptors
        .putInt(20, SECTOR_SIZE) // blk_size
        .asReadOnlyBuffer();
  }

  /** Capacity in 512-byte sectors. */
  public long capacity() {
    return backend.size() / SECTOR_SIZE;
  }

  @Override
  public int deviceId() {
    return Virtio.ID_BLOCK;
  }

  @Override
  public long deviceFeatures() {
    long features = Virtio.bit(F_SEG_MAX) | Virtio.bit(F_BLK_SIZE) | Virtio.bit(F_FLUSH);
    return backend.isReadOnly() ? features | Virtio.bit(F_RO) : features;
  }

  @Override
  public int queueCount() {
    return 1;
  }

  @Override
  public int queueMaxSize(int index) {
    return index == 0 ? QUEUE_SIZE : 0;
  }

  @Override
  public int configSize() {
    return CONFIG_BYTES;
  }

  @Override
  public int readConfig(int offset) {
    return offset >= 0 && offset < CONFIG_BYTES ? config.get(offset) & 0xFF : 0;
  }

  @Override
  public void activate(Activation activation) {
    synchronized (lock) {
      state.lifecycle = new DeviceLifecycle.Active(activation);
      process(activation);
    }
  }

  @Override
  public void notifyQueue(int index) {
    synchronized (lock) {
      if (index == 0 && state.lifecycle instanceof DeviceLifecycle.Active active) {
        process(active.activation());
      }
    }
  }

  @Override
  public void reset() {
    synchronized (lock) {
      state.lifecycle = DeviceLifecycle.INACTIVE;
    }
  }

  /** Closes the backend. */
  @Override
  public void close(@GuardSatisfied VirtioBlock this) throws IOException {
    backend.close();
  }

  /** Completes every available request, then notifies the driver if it wants it. */
  @Holding("lock")
  private void process(Activation activation) {
    Virtqueue queue = activation.queue(0);
    try {
      while (true) {
        PopResult next = queue.pop(activation.memory());
        boolean keepGoing =
            switch (next) {
              case PopResult.Empty empty -> false;
              case PopResult.RingFault fault -> fail(activation);
              case PopResult.InvalidChain bad -> failRequest(activation, queue, bad);
              case DescriptorChain chain -> complete(activation, queue, chain);
            };
        if (!keepGoing) {
          break;
        }
      }
    } catch (GuestMemoryException e) {
      fail(activation); // cannot happen for validated chains; never let a guest error escape
    }
    activation.notifyUsed(queue);
  }

  @Holding("lock")
  private boolean fail(Activation activation) {
    state.lifecycle = DeviceLifecycle.NEEDS_RESET;
    activation.enterNeedsReset();
    return false;
  }

  @Holding("lock")
  private boolean failRequest(Activation activation, Virtqueue queue, PopResult.InvalidChain bad) {
    if (bad.statusAddress() < 0) {
      return fail(activation);
    }
    state.header.put(0, (byte) S_IOERR);
    activation.memory().write(bad.statusAddress(), state.header.array(), 0, 1);
    queue.addUsed(activation.memory(), bad.head(), 0);
    return true;
  }

  @Holding("lock")
  private boolean complete(Activation activation, Virtqueue queue, DescriptorChain chain) {
    if (chain.writableLength() < 1) {
      return fail(activation); // 5.2.6: no room for the status byte, nothing to report to
    }
    BlockRequest request = new BlockRequest(activation, chain);
    execute(request);
    state.header.put(0, (byte) request.status);
    chain.write(activation.memory(), chain.writableLength() - 1, state.header.array(), 0, 1);
    queue.addUsed(activation.memory(), chain.head(), (int) request.usedLength());
    return true;
  }

  @Holding("lock")
  private void execute(BlockRequest request) {
    DescriptorChain chain = request.chain;
    if (chain.readableLength() < HEADER_BYTES) {
      request.status = S_IOERR;
      return;
    }
    chain.read(request.activation.memory(), 0, state.header.array(), 0, HEADER_BYTES);
    int type = state.header.getInt(0); // struct virtio_blk_req: le32 type, le32 reserved, le64 sector
    long sector = state.header.getLong(8);
    try {
      switch (type) {
        case T_IN -> read(request, sector);
        case T_OUT -> write(request, sector);
        case T_FLUSH -> {
          backend.flush();
          request.status = S_OK;
        }
        case T_GET_ID -> getId(request);
        default -> request.status = S_UNSUPP;
      }
    } catch (IOException e) {
      request.status = S_IOERR;
    }
  }

  /** True if {@code length} bytes from {@code sector} are whole sectors inside the capacity. */
  private boolean inRange(long sector, long length) {
    long capacity = capacity();
    return length % SECTOR_SIZE == 0
        && sector >= 0
        && sector <= capacity
        && length / SECTOR_SIZE <= capacity - sector;
  }

  @Holding("lock")
  private void read(BlockRequest request, long sector) throws IOException {
    long length = request.chain.writableLength() - 1;
    if (!inRange(sector, length)) {
      request.status = S_IOERR;
      return;
    }
    long position = sector * SECTOR_SIZE;
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(CHUNK, length - done);
      backend.read(position + done, state.buffer, 0, n);
      request.chain.write(request.activation.memory(), done, state.buffer, 0, n);
      done += n;
    }
    request.status = S_OK;
    request.written = request.chain.writableLength();
  }

  @Holding("lock")
  private void write(BlockRequest request, long sector) throws IOException {
    long length = request.chain.readableLength() - HEADER_BYTES;
    if (backend.isReadOnly() || !inRange(sector, length)) {
      request.status = S_IOERR; // 5.2.6.2: a read-only device writes nothing
      return;
    }
    long position = sector * SECTOR_SIZE;
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(CHUNK, length - done);
      request.chain.read(request.activation.memory(), HEADER_BYTES + done, state.buffer, 0, n);
      backend.write(position + done, state.buffer, 0, n);
      done += n;
    }
    if (!request.activation.has(F_FLUSH)) {
      backend.flush(); // no flush command negotiated: write-through
    }
    request.status = S_OK;
  }

  @Holding("lock")
  private void getId(BlockRequest request) {
    long length = request.chain.writableLength() - 1;
    int n = (int) Math.min(ID_BYTES, length);
    request.chain.write(request.activation.memory(), 0, id, 0, n);
    request.status = S_OK;
    request.written = n == length ? request.chain.writableLength() : n;
  }

  /** One request while it executes. */
  private static final class BlockRequest {
    final Activation activation;
    final DescriptorChain chain;
    int status = S_IOERR;
    /** Bytes written from the start of the writable buffers, not counting a lone status. */
    long written;

    BlockRequest(Activation activation, DescriptorChain chain) {
      this.activation = activation;
      this.chain = chain;
    }

    /** The used length: what was written from the start, or just the status if alone. */
    long usedLength() {
      return chain.writableLength() == 1 ? 1 : written;
    }
  }
}
