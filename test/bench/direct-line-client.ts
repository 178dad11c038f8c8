/** Entry of the benchmarks' load-client process (forked by forkLoadClient in direct-line-load.ts). */
import { clientMain } from './direct-line-load.ts';

clientMain();
