// Runs the shared Storage contract against InMemoryStorage.
import { runStorageContract } from '../../contract/storage.contract.ts';
import { InMemoryStorage } from '../../../src/tune/storage/memory.ts';

runStorageContract('memory', async () => new InMemoryStorage());
