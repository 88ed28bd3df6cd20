// Workers.java - a small multithreaded Java program for tests/integration/real_java.sh.
//
// Starts 4 worker threads that each compute a sum (hot enough for the JIT),
// joins them, prints the results in order and exits with status 3.
public class Workers {
    public static void main(String[] args) throws Exception {
        final int n = 4;
        final long[] results = new long[n];
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            final int id = i;
            threads[i] = new Thread(() -> {
                long s = 0;
                for (int k = 0; k < 100000; k++)
                    s += k % (id + 1);
                results[id] = s;
            }, "worker-" + i);
            threads[i].start();
        }
        for (Thread t : threads)
            t.join();
        long total = 0;
        for (int i = 0; i < n; i++) {
            System.out.println("worker-" + i + " " + results[i]);
            total += results[i];
        }
        System.out.println("total " + total);
        System.err.println("java: done");
        System.exit(3);
    }
}
